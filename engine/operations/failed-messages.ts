import type { Job, Queue } from 'bullmq';
import type { Logger } from '../log.js';
import type { StoredMessage } from '../mailbox/message.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Attempt, AttemptLog } from '../pipeline/attempt-log.js';
import type { ArrivalJob, QueueKind } from '../pipeline/queues.js';

export interface FailedMessage {
  messageId: string;
  queue: QueueKind;
  workflowId?: string;
  from?: string;
  localId?: string;
  receivedAt?: string;
  failedAt?: string;
  /** The code of the last attempt, e.g. SCHEMA_INVALID. */
  reason?: string;
  attempts: Attempt[];
}

export const OPERATION_ERRORS = {
  NOT_FAILED: 'no failed message with this id',
} as const;

export class OperationError extends Error {
  constructor(readonly code: keyof typeof OPERATION_ERRORS, readonly messageId: string) {
    super(`${OPERATION_ERRORS[code]}: ${messageId}`);
  }
}

/**
 * Messages the workers gave up on, held until staff replay or discard them: the
 * functions the console and the CLI call.
 */
export class FailedMessages {
  constructor(
    private readonly queues: Record<QueueKind, Queue<ArrivalJob>>,
    private readonly store: MailboxStore,
    private readonly attempts: AttemptLog,
    private readonly hubMailbox: string,
    private readonly log: Logger,
  ) {}

  /** Newest failures first, across both queues. */
  async list(options: { offset?: number; limit?: number } = {}): Promise<FailedMessage[]> {
    const { offset = 0, limit = 100 } = options;
    const jobs = (await Promise.all(this.kinds().map(async (kind) =>
      (await this.queues[kind].getFailed(0, offset + limit - 1)).map((job) => ({ kind, job })))))
      .flat()
      .sort((a, b) => (b.job.finishedOn ?? 0) - (a.job.finishedOn ?? 0))
      .slice(offset, offset + limit);
    return Promise.all(jobs.map(({ kind, job }) => this.describe(kind, job)));
  }

  async show(messageId: string): Promise<FailedMessage> {
    const { kind, job } = await this.failedJob(messageId);
    return this.describe(kind, job);
  }

  /** Puts the message back on its queue with a fresh set of attempts; its history stays. */
  async replay(messageId: string): Promise<void> {
    const { job } = await this.failedJob(messageId);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    this.log.info('failed message replayed', { messageId });
  }

  /** Takes the message out of the hub's inbox (so no sweep queues it again) and drops its job. */
  async discard(messageId: string): Promise<void> {
    const { job } = await this.failedJob(messageId);
    await this.store.acknowledge(this.hubMailbox, messageId).catch(() => undefined);
    await job.remove();
    this.log.info('failed message discarded', { messageId });
  }

  private kinds(): QueueKind[] {
    return Object.keys(this.queues) as QueueKind[];
  }

  private async failedJob(messageId: string): Promise<{ kind: QueueKind; job: Job<ArrivalJob> }> {
    for (const kind of this.kinds()) {
      const job = await this.queues[kind].getJob(messageId);
      if (job && (await job.getState()) === 'failed') return { kind, job };
    }
    throw new OperationError('NOT_FAILED', messageId);
  }

  private async describe(kind: QueueKind, job: Job<ArrivalJob>): Promise<FailedMessage> {
    const messageId = job.data.messageId;
    const [message, attempts] = await Promise.all([this.store.get(this.hubMailbox, messageId), this.attempts.list(messageId)]);
    return {
      messageId,
      queue: kind,
      ...summary(message),
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
      reason: attempts.at(-1)?.code,
      attempts,
    };
  }
}

function summary(message: StoredMessage | undefined): Partial<FailedMessage> {
  if (!message) return {};
  return {
    workflowId: message.workflowId,
    from: message.from,
    localId: message.localId,
    receivedAt: new Date(message.createdAt).toISOString(),
  };
}
