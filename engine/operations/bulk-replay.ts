import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { FailedMessages } from './failed-messages.js';

/** `done` were replayed, `failed` could not be (replayed or discarded meanwhile); finished when both add up to `total`. */
export interface BulkProgress {
  total: number;
  done: number;
  failed: number;
  state: 'running' | 'finished';
}

/** How long a finished operation's progress can still be read. */
const KEPT_SECONDS = 86_400;

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
    await this.redis.multi().hset(key, { total: messageIds.length, done: 0, failed: 0, state: 'running' }).expire(key, KEPT_SECONDS).exec();
    this.run(operationId, messageIds)
      .then(async () => finished(operationId, (await this.progress(operationId))!))
      .catch((err: Error) => this.log.error('bulk replay stopped', { operationId, error: err.message }));
    return { operationId, total: messageIds.length };
  }

  async progress(operationId: string): Promise<BulkProgress | undefined> {
    const fields = await this.redis.hgetall(this.key(operationId));
    if (!fields.state) return undefined;
    return { total: Number(fields.total), done: Number(fields.done), failed: Number(fields.failed), state: fields.state as BulkProgress['state'] };
  }

  private async run(operationId: string, messageIds: string[]): Promise<void> {
    const key = this.key(operationId);
    for (const messageId of messageIds) {
      const outcome = await this.failed.replay(messageId).then(() => 'done', () => 'failed');
      await this.redis.hincrby(key, outcome, 1);
    }
    await this.redis.hset(key, 'state', 'finished');
    this.log.info('bulk replay finished', { operationId, total: messageIds.length });
  }
}
