import type { Queue } from 'bullmq';
import type { CpisSettings } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { MailboxStore } from '../mailbox/store.js';
import { backoffDelay } from './backoff.js';
import { queueKindFor, type ArrivalJob, type QueueKind } from './queues.js';

const SWEEP_PAGE = 1000;

/**
 * Puts what arrives in the hub's mailbox on a queue. The job id is the message id,
 * so queuing twice (the fast path and the sweep, or two hubs) makes one job.
 */
export class Arrivals {
  constructor(
    private readonly queues: Record<QueueKind, Queue<ArrivalJob>>,
    private readonly store: MailboxStore,
    private readonly settings: CpisSettings,
    private readonly log: Logger,
  ) {}

  async enqueue(messageId: string, workflowId: string): Promise<void> {
    const { attempts } = this.settings.retry;
    await this.queues[queueKindFor(this.settings, workflowId)].add('arrival', { messageId }, {
      jobId: messageId,
      attempts,
      backoff: { type: 'cpis' },
      // Kept an hour: the stalled-job history of a finished job is evidence for staff and tests.
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: false,
    });
  }

  /** Fast path after a 202: a failure here is only logged, because the sweep will find the message. */
  accepted(message: { id: string; to: string; workflowId: string }): void {
    if (message.to !== this.settings.hubMailbox) return;
    this.enqueue(message.id, message.workflowId).catch((err: Error) =>
      this.log.warn('queueing deferred to the sweep', { messageId: message.id, workflowId: message.workflowId, error: err.message }));
  }

  /**
   * Queues every message waiting in the hub's inbox: finds those accepted but never
   * queued after a crash. A message whose job exists already is left as it is.
   */
  async sweep(): Promise<number> {
    let after: string | undefined;
    let seen = 0;
    do {
      const page = await this.store.list(this.settings.hubMailbox, { after, limit: SWEEP_PAGE });
      for (const id of page.ids) {
        const message = await this.store.get(this.settings.hubMailbox, id);
        if (message) await this.enqueue(id, message.workflowId);
      }
      seen += page.ids.length;
      after = page.next;
    } while (after);
    return seen;
  }
}

export const backoffStrategy = (settings: CpisSettings['retry']) => (attemptsMade: number) => backoffDelay(attemptsMade, settings);
