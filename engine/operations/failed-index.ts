import type { Redis } from 'ioredis';
import type { SearchKeys } from '../search/search-keys.js';
import type { FailedMessage } from './failed-messages.js';

/** What the failed-message filter reads of a held message: its metadata and the NHS numbers its text names. */
export type FailedEntry = Omit<FailedMessage, 'attempts'> & { nhsNumbers: string[] };

/**
 * The messages held as failed, kept as they are held and as staff replay or discard them:
 * a sorted set by failure time and a hash of each one's entry. A listing reads the window
 * it asks for in two commands instead of loading every failed job with its attempts.
 */
export class FailedIndex {
  constructor(private readonly redis: Redis, private readonly keys: SearchKeys) {}

  async held(entry: FailedEntry): Promise<void> {
    await this.redis.multi()
      .zadd(this.keys.failedAt(), Date.parse(entry.failedAt ?? new Date().toISOString()), entry.messageId)
      .hset(this.keys.failedSummary(), entry.messageId, JSON.stringify(entry))
      .exec();
  }

  async released(messageId: string): Promise<void> {
    await this.redis.multi().zrem(this.keys.failedAt(), messageId).hdel(this.keys.failedSummary(), messageId).exec();
  }

  /** The entries failed within the window (either end open), oldest first. */
  async between(from?: Date, to?: Date): Promise<FailedEntry[]> {
    const ids = await this.redis.zrangebyscore(this.keys.failedAt(), from ? from.getTime() : '-inf', to ? to.getTime() : '+inf');
    if (ids.length === 0) return [];
    const entries = await this.redis.hmget(this.keys.failedSummary(), ...ids);
    return entries.flatMap((e) => (e ? [JSON.parse(e) as FailedEntry] : []));
  }

  async ids(): Promise<string[]> {
    return this.redis.zrange(this.keys.failedAt(), 0, -1);
  }
}
