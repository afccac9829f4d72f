import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { FailedMessages } from './failed-messages.js';

/**
 * `done` were replayed, `failed` could not be (replayed or discarded meanwhile); finished when
 * both add up to `total`. `interrupted`: the process running it stopped part way; what it did
 * not reach is still failed, to be replayed again.
 */
export interface BulkProgress {
  total: number;
  done: number;
  failed: number;
  state: 'running' | 'finished' | 'interrupted';
}

/** How long a finished operation's progress can still be read. */
const KEPT_SECONDS = 86_400;
/** A replay takes milliseconds: a running operation that has not moved for this long has lost its process. */
export const STALLED_AFTER_MS = 60_000;

/**
 * Replays many failed messages one after another in the background, with progress in
 * Redis so any API process can answer how far it got. A hub stopped part way leaves
 * the rest failed, to be replayed again.
 */
export class BulkReplays {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly failed: FailedMessages,
    private readonly log: Logger,
  ) {}

  private key(operationId: string): string {
    return `${this.prefix}{ops}:bulk:${operationId}`;
  }

  /** Starts replaying; `finished` hears the outcome (the console audits it). */
  async start(messageIds: string[], finished: (operationId: string, progress: BulkProgress) => Promise<unknown>): Promise<{ operationId: string; total: number }> {
    const operationId = randomUUID();
    const key = this.key(operationId);
    await this.redis.multi().hset(key, { total: messageIds.length, done: 0, failed: 0, state: 'running', movedAt: Date.now() }).expire(key, KEPT_SECONDS).exec();
    this.run(operationId, messageIds)
      .then(async () => finished(operationId, (await this.progress(operationId))!))
      .catch((err: Error) => this.log.error('bulk replay stopped', { operationId, error: err.message }));
    return { operationId, total: messageIds.length };
  }

  async progress(operationId: string, now = Date.now()): Promise<BulkProgress | undefined> {
    const fields = await this.redis.hgetall(this.key(operationId));
    if (!fields.state) return undefined;
    const stalled = fields.state === 'running' && now - Number(fields.movedAt) > STALLED_AFTER_MS;
    return {
      total: Number(fields.total), done: Number(fields.done), failed: Number(fields.failed),
      state: stalled ? 'interrupted' : (fields.state as BulkProgress['state']),
    };
  }

  private async run(operationId: string, messageIds: string[]): Promise<void> {
    const key = this.key(operationId);
    for (const messageId of messageIds) {
      const outcome = await this.failed.replay(messageId).then(() => 'done', () => 'failed');
      await this.redis.multi().hincrby(key, outcome, 1).hset(key, 'movedAt', Date.now()).exec();
    }
    await this.redis.hset(key, 'state', 'finished');
    this.log.info('bulk replay finished', { operationId, total: messageIds.length });
  }
}
