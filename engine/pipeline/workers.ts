import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { CpisSettings } from '../config/schema.js';
import type { Logger } from '../log.js';
import { readBody } from '../mailbox/read-body.js';
import { SizeFault } from '../mesh/bounded-inflate.js';
import type { StoredMessage } from '../mailbox/message.js';
import type { MailboxStore } from '../mailbox/store.js';
import { backoffStrategy } from './arrivals.js';
import type { AttemptLog } from './attempt-log.js';
import { asProcessingError, ProcessingError } from './processing-error.js';
import { bullPrefix, QUEUE_NAMES, type ArrivalJob, type QueueKind } from './queues.js';

/** What handles one kind of message: apply it and send its replies, idempotently. */
export type MessageHandler = (message: StoredMessage, body: Buffer) => Promise<void>;

/** Tells the sender a message failed for good (a REPORT, or a business reply such as CPF01). */
export type FailureNotice = (message: StoredMessage, failure: ProcessingError) => Promise<void>;

export interface WorkerDeps {
  connection: ConnectionOptions;
  keyPrefix: string;
  store: MailboxStore;
  attempts: AttemptLog;
  settings: CpisSettings;
  log: Logger;
  handlers: Record<string, MessageHandler>;
  /** A workflow's size limit: the send checks it, and a worker refuses anything stored over it all the same. */
  maxMessageBytes: (workflowId: string) => number;
  notifyFailure: FailureNotice;
  /** Runs a job's writes and resolves once enough replicas hold them (redis/replicas.ts). */
  durably<T>(writes: () => Promise<T>): Promise<T>;
  /** Told of each message processed, and of each held as failed after its last attempt (metrics). */
  observe?: { processed(message: StoredMessage): void; held(message: StoredMessage, reason: string): void | Promise<void> };
}

/**
 * The BullMQ workers that drain the hub's mailbox. A message is acknowledged in the
 * hub's inbox only after its effects are done; a job whose worker died is taken
 * again by the stalled-job check; each failed attempt is logged before the retry.
 */
export class CpisWorkers {
  private readonly workers: Worker<ArrivalJob>[];

  constructor(private readonly deps: WorkerDeps) {
    const { settings } = deps;
    const make = (kind: QueueKind, concurrency: number) => new Worker<ArrivalJob>(QUEUE_NAMES[kind], (job) => this.process(job), {
      connection: deps.connection,
      prefix: bullPrefix(deps.keyPrefix),
      concurrency,
      lockDuration: settings.stalledAfter,
      stalledInterval: settings.stalledAfter,
      maxStalledCount: 5,
      settings: { backoffStrategy: backoffStrategy(settings.retry) },
    });
    this.workers = [make('attendance', settings.concurrency), make('planUpdate', 1)];
    for (const worker of this.workers) {
      worker.on('error', (err) => deps.log.error('worker error', { error: err.message }));
    }
  }

  private async process(job: Job<ArrivalJob>): Promise<void> {
    const { store, settings, log } = this.deps;
    const { messageId } = job.data;
    const message = await store.get(settings.hubMailbox, messageId);
    if (!message || message.status !== 'accepted') {
      // Done before, or discarded by staff; an earlier attempt whose WAIT fell short may have acknowledged it: wait for that too.
      await this.deps.durably(async () => undefined);
      return;
    }
    const context = { messageId, mailbox: message.from, workflowId: message.workflowId };
    try {
      // The acknowledgement is the last write, so once replicas hold it they hold the effects before it:
      // BullMQ completes the job only then. A failover that loses the acknowledgement finds the
      // message accepted again, and the idempotent handlers redo it without a second reply.
      await this.deps.durably(async () => {
        await this.handle(message);
        await store.acknowledge(settings.hubMailbox, messageId);
      });
      this.deps.observe?.processed(message);
      log.info('message processed', { ...context, attempt: job.attemptsMade + 1 });
    } catch (err) {
      throw await this.failed(job, message, asProcessingError(err));
    }
  }

  private async handle(message: StoredMessage): Promise<void> {
    // A REPORT in the hub's mailbox (an LA that never collected a reply) is for staff, whatever its workflow.
    const handler = message.type === 'DATA' ? this.deps.handlers[message.workflowId] : undefined;
    if (!handler) throw new ProcessingError('UNKNOWN_WORKFLOW', message.workflowId);
    const body = await readBody(this.deps.store, this.deps.settings.hubMailbox, message, this.deps.maxMessageBytes(message.workflowId));
    if (!body) throw new ProcessingError('CONTENT_MISSING', message.id);
    if (body instanceof SizeFault) throw new ProcessingError(body.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'NOT_READABLE', body.message);
    await handler(message, body);
  }

  /** Records the attempt; a permanent failure tells the sender and stops retries at once. */
  private async failed(job: Job<ArrivalJob>, message: StoredMessage, failure: ProcessingError): Promise<Error> {
    const { attempts, log } = this.deps;
    const attempt = await attempts.record(message.id, {
      at: new Date().toISOString(), code: failure.code, permanent: failure.permanent, error: failure.message,
    });
    log.warn('processing failed', {
      messageId: message.id, mailbox: message.from, workflowId: message.workflowId, code: failure.code, attempt, permanent: failure.permanent,
    });
    if (failure.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.deps.observe?.held(message, failure.code);
    if (!failure.permanent) return failure;
    await this.deps.notifyFailure(message, failure);
    return new UnrecoverableError(`${failure.code}: ${failure.message}`);
  }

  /**
   * Stops taking work; in-flight jobs get until the deadline. Past it this returns
   * anyway: the process exits, its locks lapse, and the stalled-job check hands the
   * jobs to another worker (BullMQ's forced close would still wait for them).
   */
  async stop(deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), deadlineMs); });
    const closed = Promise.all(this.workers.map((w) => w.close()));
    if ((await Promise.race([closed, deadline])) === 'late') {
      this.deps.log.warn('shutdown deadline passed: in-flight jobs are left to the stalled-job check');
    }
    clearTimeout(timer);
  }
}
