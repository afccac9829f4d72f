import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { MailboxStore } from '../mailbox/store.js';
import type { Directory } from '../mesh/directory.js';
import type { FailedMessages } from '../operations/failed-messages.js';
import type { ArrivalJob, QueueKind } from '../pipeline/queues.js';

export interface MailboxDepth {
  id: string;
  organisation: string;
  depth: number;
  /** Age of the oldest message waiting to be acknowledged; null when the inbox is empty. */
  oldestAgeSeconds: number | null;
}

export interface QueueDepth {
  name: QueueKind;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface Overview {
  mailboxes: MailboxDepth[];
  queues: QueueDepth[];
  perMinute: { minute: string; completed: number; failed: number }[];
  failures24h: { reason: string; count: number }[];
}

const MINUTE = 60_000;

export async function mailboxDepths(store: MailboxStore, directory: Directory, now = Date.now()): Promise<MailboxDepth[]> {
  return Promise.all(directory.allMailboxes().map(async (m) => {
    const [depth, page] = await Promise.all([store.count(m.id), store.list(m.id, { limit: 1 })]);
    // Inbox ids sort by time, so the first is the oldest.
    const oldest = page.ids[0] ? await store.get(m.id, page.ids[0]) : undefined;
    return { id: m.id, organisation: m.organisation.ods, depth, oldestAgeSeconds: oldest ? Math.floor((now - oldest.createdAt) / 1000) : null };
  }));
}

export async function queueDepths(queues: Record<QueueKind, Queue<ArrivalJob>>): Promise<QueueDepth[]> {
  return Promise.all((Object.keys(queues) as QueueKind[]).map(async (name) => {
    const counts = await queues[name].getJobCounts('waiting', 'active', 'delayed', 'failed');
    return { name, waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
  }));
}

/**
 * Jobs finished per minute over the last hour, read from BullMQ's completed and
 * failed sets, which it scores by finishing time (completed jobs are kept an hour).
 */
export async function perMinute(redis: Redis, queues: Queue<ArrivalJob>[], now = Date.now()): Promise<Overview['perMinute']> {
  const start = Math.floor(now / MINUTE) * MINUTE - 59 * MINUTE;
  const buckets = Array.from({ length: 60 }, (_, i) => ({ minute: new Date(start + i * MINUTE).toISOString(), completed: 0, failed: 0 }));
  for (const queue of queues) {
    for (const kind of ['completed', 'failed'] as const) {
      const scored = await redis.zrangebyscore(queue.keys[kind], start, now, 'WITHSCORES');
      for (let i = 1; i < scored.length; i += 2) buckets[Math.floor((Number(scored[i]) - start) / MINUTE)][kind] += 1;
    }
  }
  return buckets;
}

/** Messages held as failed that failed in the last day, by the code of their last attempt. */
export async function failures24h(failed: FailedMessages, now = Date.now()): Promise<Overview['failures24h']> {
  const counts = new Map<string, number>();
  for (const m of await failed.matching({ from: new Date(now - 1440 * MINUTE) })) {
    counts.set(m.reason ?? 'UNKNOWN', (counts.get(m.reason ?? 'UNKNOWN') ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}
