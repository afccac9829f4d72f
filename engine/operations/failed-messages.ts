import type { Job, Queue } from 'bullmq';
import type { Logger } from '../log.js';
import type { StoredMessage } from '../mailbox/message.js';
import { readBody } from '../mailbox/read-body.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Attempt, AttemptLog } from '../pipeline/attempt-log.js';
import type { ArrivalJob, QueueKind } from '../pipeline/queues.js';
import { matchesFilter, sortFailed, type FailedFilter } from './failed-filter.js';
import type { FailedEntry, FailedIndex } from './failed-index.js';
import { nhsNumbersIn } from './patient-fields.js';

export interface FailedMessage {
  messageId: string;
  queue: QueueKind;
  workflowId?: string;
  from?: string;
  to?: string;
  localId?: string;
  receivedAt?: string;
  failedAt?: string;
  /** The code of the last attempt, e.g. SCHEMA_INVALID. */
  reason?: string;
  attempts: Attempt[];
}

/** A failed message with the NHS numbers its stored text names (several in a plan update file). */
export interface FoundMessage extends FailedMessage {
  nhsNumbers: string[];
}

export const OPERATION_ERRORS = {
  NOT_FAILED: 'no failed message with this id',
  NOT_EDITABLE: 'the hub has no schema for this message\'s workflow',
  SCHEMA_INVALID: 'the edited message fails its schema',
} as const;

export class OperationError extends Error {
  constructor(readonly code: keyof typeof OPERATION_ERRORS, readonly messageId: string, readonly details: string[] = []) {
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
    /** A workflow's size limit: content over it is never inflated. */
    private readonly maxMessageBytes: (workflowId: string) => number,
    private readonly index: FailedIndex,
    /** Told of each replay (metrics). */
    private readonly observe?: { replayed(workflowId: string | undefined): void },
  ) {}

  /** Newest failures first, across both queues. */
  async list(options: { offset?: number; limit?: number } = {}): Promise<FailedMessage[]> {
    return (await this.search(options)).items.map(({ nhsNumbers: _n, ...m }) => m);
  }

  /** The page of failed messages the filter asks for, with the NHS numbers each names, and how many match in all. */
  async search(filter: FailedFilter = {}): Promise<{ total: number; items: FoundMessage[] }> {
    const { offset = 0, limit = 50 } = filter;
    const matching = await this.matching(filter);
    const items = await Promise.all(matching.slice(offset, offset + limit).map(async (entry) => ({
      ...entry, attempts: await this.attempts.list(entry.messageId),
    })));
    return { total: matching.length, items };
  }

  /** Every failed message matching the filter (paging aside), sorted: read from the index, the time window first. */
  async matching(filter: FailedFilter = {}): Promise<FailedEntry[]> {
    const inWindow = await this.index.between(filter.from, filter.to);
    return sortFailed(inWindow.filter((m) => matchesFilter(m, filter)), filter);
  }

  /**
   * Indexes a message the workers hold as failed after its last attempt, before its job
   * is marked failed, so a listing never misses it; the NHS numbers are read from its text once, here.
   */
  async held(message: StoredMessage, reason: string, now = Date.now()): Promise<void> {
    const kind = await this.kindOf(message.id);
    await this.index.held({
      messageId: message.id, queue: kind, ...summary(message), failedAt: new Date(now).toISOString(), reason,
      nhsNumbers: nhsNumbersIn((await this.text(message.id)) ?? ''),
    });
  }

  /**
   * Brings the index in line with the failed jobs: adds those it lacks (held before it existed,
   * or failed by the stalled-job check) and drops entries whose job is failed no more. Run at start.
   */
  async reindex(): Promise<{ added: number; dropped: number }> {
    const jobs = (await Promise.all(this.kinds().map(async (kind) => (await this.queues[kind].getFailed(0, -1)).map((job) => ({ kind, job }))))).flat();
    const indexed = new Set(await this.index.ids());
    const failedIds = new Set(jobs.map(({ job }) => job.data.messageId));
    const missing = jobs.filter(({ job }) => !indexed.has(job.data.messageId));
    for (const { kind, job } of missing) {
      const { attempts: _attempts, ...described } = await this.describe(kind, job);
      await this.index.held({ ...described, nhsNumbers: nhsNumbersIn((await this.text(described.messageId)) ?? '') });
    }
    const stale = [...indexed].filter((id) => !failedIds.has(id));
    for (const id of stale) await this.index.released(id);
    return { added: missing.length, dropped: stale.length };
  }

  /** The stored text of a message in the hub's inbox, failed or not; undefined once its content is gone, or over its size limit. */
  async text(messageId: string): Promise<string | undefined> {
    const message = await this.store.get(this.hubMailbox, messageId);
    const body = message && (await readBody(this.store, this.hubMailbox, message, this.maxMessageBytes(message.workflowId)));
    return body instanceof Buffer ? body.toString('utf8') : undefined;
  }

  async show(messageId: string): Promise<FailedMessage> {
    const { kind, job } = await this.failedJob(messageId);
    return this.describe(kind, job);
  }

  /** Puts the message back on its queue with a fresh set of attempts; its history stays. */
  async replay(messageId: string): Promise<void> {
    const { job } = await this.failedJob(messageId);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    await this.index.released(messageId);
    this.log.info('failed message replayed', { messageId });
    if (this.observe) this.observe.replayed((await this.store.get(this.hubMailbox, messageId))?.workflowId);
  }

  async discard(messageId: string): Promise<void> {
    await this.release(messageId);
    this.log.info('failed message discarded', { messageId });
  }

  /** Takes the message out of the hub's inbox (so no sweep queues it again) and drops its job; its content stays until retention ends. */
  async release(messageId: string): Promise<void> {
    const { job } = await this.failedJob(messageId);
    await this.store.acknowledge(this.hubMailbox, messageId).catch(() => undefined);
    await job.remove();
    await this.index.released(messageId);
  }

  private async kindOf(messageId: string): Promise<QueueKind> {
    for (const kind of this.kinds()) if (await this.queues[kind].getJob(messageId)) return kind;
    return this.kinds()[0];
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
    to: message.to,
    localId: message.localId,
    receivedAt: new Date(message.createdAt).toISOString(),
  };
}
