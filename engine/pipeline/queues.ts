import { Queue, type ConnectionOptions } from 'bullmq';
import type { CpisSettings } from '../config/schema.js';
import type { Logger } from '../log.js';

/** Plan updates can be 100,000 records, so they queue apart from attendances, which must stay quick. */
export type QueueKind = 'planUpdate' | 'attendance';

/** Braces keep each queue's keys in one Redis Cluster slot, as BullMQ asks. */
export const QUEUE_NAMES: Record<QueueKind, string> = {
  planUpdate: '{cpis-plan-update}',
  attendance: '{cpis-attendance}',
};

export interface ArrivalJob {
  messageId: string;
}

export function bullPrefix(keyPrefix: string): string {
  return `${keyPrefix}bull`;
}

/** Which queue a message on this workflow goes to; attendances take any other workflow and fail it there. */
export function queueKindFor(settings: CpisSettings, workflowId: string): QueueKind {
  return workflowId === settings.workflows.planUpdate ? 'planUpdate' : 'attendance';
}

/**
 * A queue with no 'error' listener has BullMQ print the error's stack to stderr itself
 * (queue-base.js), which breaks the JSON log lines shippers read; the reason is logged instead.
 */
export function openQueues(connection: ConnectionOptions, keyPrefix: string, log: Logger): Record<QueueKind, Queue<ArrivalJob>> {
  const open = (kind: QueueKind) => {
    const queue = new Queue<ArrivalJob>(QUEUE_NAMES[kind], { connection, prefix: bullPrefix(keyPrefix) });
    queue.on('error', (err) => log.warn('queue error', { queue: QUEUE_NAMES[kind], error: err.message }));
    return queue;
  };
  return { planUpdate: open('planUpdate'), attendance: open('attendance') };
}
