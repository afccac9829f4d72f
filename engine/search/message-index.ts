import type { ChainableCommander, Redis } from 'ioredis';
import { SearchKeys, SHARED_FIELDS, type IndexedField } from './search-keys.js';

/** What a message is indexed by, before it is stored. */
export interface IndexedMessage {
  id: string;
  from: string;
  to: string;
  workflowId: string;
  localId?: string;
  /** When it was sent: for a message in chunks, when its upload began. */
  acceptedAt: number;
  /** Those the hub knows it names when it writes the message itself; a worker adds a received message's with `patients`. */
  nhsNumbers?: readonly string[];
}

/** ZADDs per pipeline when a plan file names many patients: bounded round trips, no huge single reply. */
const PATIENT_BATCH = 1000;
const PRUNE_BATCH = 10_000;

/**
 * The search index, written as messages arrive: a sorted set of every message id and one
 * per field value, all scored by acceptance time. A local id's or NHS number's set is its
 * own: each write trims it to content retention and it expires with its newest message, so
 * a child named in every monthly upload keeps a set of one retention period, not a history.
 * Those sets are too many to list, so `prune` cannot reach them; it trims the shared sets and
 * the whole-index set, from the expiry sweep. Searches never see a member past retention
 * (their window starts there), so a prune that runs late changes nothing they answer.
 */
export class MessageIndex {
  constructor(
    private readonly redis: Redis,
    readonly keys: SearchKeys,
    readonly retentionMs: number,
  ) {}

  /** Idempotent by message id: a retried send keeps the score its first attempt wrote. */
  async add(message: IndexedMessage): Promise<void> {
    const { keys } = this;
    const at = message.acceptedAt;
    const fields: [IndexedField, string | undefined][] = [['workflow', message.workflowId], ['from', message.from], ['to', message.to], ['localId', message.localId]];
    const pipeline = this.redis.pipeline().zadd(keys.all(), 'NX', at, message.id);
    for (const [field, value] of fields) {
      if (!value) continue;
      const key = keys.field(field, value);
      if (SHARED_FIELDS.includes(field)) pipeline.zadd(key, 'NX', at, message.id).sadd(keys.shared(), key);
      else this.own(pipeline, key, at, message.id);
    }
    for (const number of new Set(message.nhsNumbers)) this.own(pipeline, keys.field('nhsNumber', number), at, message.id);
    await run(pipeline);
  }

  /**
   * The NHS numbers a worker read in a message: indexed in batches, so a plan file of
   * 100,000 records costs a hundred pipelined round trips, not a hundred thousand.
   */
  async patients(messageId: string, acceptedAt: number, nhsNumbers: Iterable<string>): Promise<void> {
    let pipeline = this.redis.pipeline();
    let queued = 0;
    for (const number of new Set(nhsNumbers)) {
      this.own(pipeline, this.keys.field('nhsNumber', number), acceptedAt, messageId);
      if (++queued % PATIENT_BATCH === 0) {
        await run(pipeline);
        pipeline = this.redis.pipeline();
      }
    }
    if (queued % PATIENT_BATCH !== 0) await run(pipeline);
  }

  /**
   * Writes to a set of one value's messages: what is past retention at `at` goes (a few
   * members at most, so no long step), and the set lives as long as its newest message.
   */
  private own(pipeline: ChainableCommander, key: string, at: number, messageId: string): void {
    const until = at + this.retentionMs;
    pipeline.zadd(key, 'NX', at, messageId).zremrangebyscore(key, '-inf', `(${at - this.retentionMs}`)
      .pexpireat(key, until, 'GT').pexpireat(key, until, 'NX');
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

/** A pipeline answers each command's error in its results: the first one fails the write. */
async function run(pipeline: ChainableCommander): Promise<void> {
  const failed = ((await pipeline.exec()) ?? []).find(([error]) => error);
  if (failed) throw failed[0];
}
