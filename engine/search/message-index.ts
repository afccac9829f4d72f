import type { Redis } from 'ioredis';
import { SearchKeys, SHARED_FIELDS, type IndexedField } from './search-keys.js';

/** What a message is indexed by when it is accepted. */
export interface IndexedMessage {
  id: string;
  from: string;
  to: string;
  workflowId: string;
  localId?: string;
  acceptedAt: number;
}

/** ZADDs per pipeline when a plan file names many patients: bounded round trips, no huge single reply. */
const PATIENT_BATCH = 1000;
const PRUNE_BATCH = 10_000;

/**
 * The search index, written as messages arrive: a sorted set of every message id and one
 * per field value, all scored by acceptance time. Local ids and NHS numbers expire with
 * the content retention of their newest message; the shared sets and the whole-index set
 * are trimmed by `prune`, from the expiry sweep. Searches never see a member past retention
 * (their window starts there), so a prune that runs late changes nothing they answer.
 */
export class MessageIndex {
  constructor(
    private readonly redis: Redis,
    readonly keys: SearchKeys,
    readonly retentionMs: number,
  ) {}

  async accepted(message: IndexedMessage): Promise<void> {
    const { keys } = this;
    const at = message.acceptedAt;
    const fields: [IndexedField, string | undefined][] = [['workflow', message.workflowId], ['from', message.from], ['to', message.to], ['localId', message.localId]];
    const pipeline = this.redis.pipeline().zadd(keys.all(), at, message.id);
    for (const [field, value] of fields) {
      if (!value) continue;
      const key = keys.field(field, value);
      pipeline.zadd(key, at, message.id);
      if (SHARED_FIELDS.includes(field)) pipeline.sadd(keys.shared(), key);
      else pipeline.pexpireat(key, at + this.retentionMs, 'GT').pexpireat(key, at + this.retentionMs, 'NX');
    }
    await pipeline.exec();
  }

  /**
   * The NHS numbers a worker read in a message: indexed in batches, so a plan file of
   * 100,000 records costs a hundred pipelined round trips, not a hundred thousand.
   */
  async patients(messageId: string, acceptedAt: number, nhsNumbers: Iterable<string>): Promise<void> {
    const until = acceptedAt + this.retentionMs;
    let pipeline = this.redis.pipeline();
    let queued = 0;
    for (const number of new Set(nhsNumbers)) {
      const key = this.keys.field('nhsNumber', number);
      pipeline.zadd(key, acceptedAt, messageId).pexpireat(key, until, 'GT').pexpireat(key, until, 'NX');
      if (++queued % PATIENT_BATCH === 0) {
        await pipeline.exec();
        pipeline = this.redis.pipeline();
      }
    }
    if (queued % PATIENT_BATCH !== 0) await pipeline.exec();
  }

  /** Drops what has passed content retention from the sets that do not expire whole; returns how many entries went. */
  async prune(now = Date.now()): Promise<number> {
    const cutoff = `(${now - this.retentionMs}`;
    const keys = [this.keys.all(), ...(await this.redis.smembers(this.keys.shared()))];
    let removed = 0;
    for (const key of keys) {
      // In steps, so a first prune after a long pause does not block Redis on one huge range.
      for (;;) {
        const ids = await this.redis.zrangebyscore(key, '-inf', cutoff, 'LIMIT', 0, PRUNE_BATCH);
        if (ids.length === 0) break;
        removed += await this.redis.zrem(key, ...ids);
      }
      if ((await this.redis.exists(key)) === 0) await this.redis.srem(this.keys.shared(), key);
    }
    return removed;
  }
}
