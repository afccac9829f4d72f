import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { mailboxDepths, queueDepths } from '../console/overview.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Directory } from '../mesh/directory.js';
import type { ArrivalJob, QueueKind } from '../pipeline/queues.js';

export interface DepthSources {
  store: MailboxStore;
  directory: Directory;
  /** Absent when the hub runs no CP-IS workers. */
  queues?: Record<QueueKind, Queue<ArrivalJob>>;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Inbox and queue depths, read from Redis at each scrape (the same reads as the console
 * overview), so every hub process reports the shared state.
 */
export class DepthGauges {
  private readonly inboxDepth: Gauge;
  private readonly oldestAge: Gauge;
  private readonly queueJobs: Gauge;

  constructor(registry: Registry, private readonly sources: DepthSources) {
    const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [registry] });
    this.inboxDepth = gauge('cpisx_inbox_depth', 'Messages waiting in a mailbox inbox', ['mailbox']);
    this.oldestAge = gauge('cpisx_inbox_oldest_age_seconds', 'Age of the oldest unacknowledged message in a mailbox inbox (0 when empty)', ['mailbox']);
    this.queueJobs = gauge('cpisx_queue_jobs', 'Jobs in a CP-IS queue by state', ['queue', 'state']);
  }

  async refresh(): Promise<void> {
    const { store, directory, queues } = this.sources;
    const [boxes, depths] = await Promise.all([mailboxDepths(store, directory), queues ? queueDepths(queues) : []]);
    for (const box of boxes) {
      this.inboxDepth.set({ mailbox: box.id }, box.depth);
      this.oldestAge.set({ mailbox: box.id }, box.oldestAgeSeconds ?? 0);
    }
    for (const queue of depths) {
      for (const state of QUEUE_STATES) this.queueJobs.set({ queue: queue.name, state }, queue[state]);
    }
  }
}
