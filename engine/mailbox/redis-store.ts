import type { Redis } from 'ioredis';
import { MeshError, type MeshErrorKind } from '../mesh/errors.js';
import { Keys } from './keys.js';
import { fromHash, toFields, type NewMessage, type StoredMessage } from './message.js';
import type { MessageIndex } from '../search/message-index.js';
import { defineMailboxScripts } from './scripts.js';
import type { Acknowledged, ChunkResult, ChunkSize, HandshakeInfo, InboxPage, Lifetimes, MailboxStore, SendOptions, SendResult } from './store.js';

/** How many ids a listing reads per step while a workflow filter thins them out. */
const LIST_BATCH = 1000;

export class RedisMailboxStore implements MailboxStore {
  constructor(
    private readonly redis: Redis,
    private readonly lifetimes: Lifetimes,
    readonly keys = new Keys(),
    /** Told of each message before it is stored, so staff can search for it. */
    private readonly index?: MessageIndex,
  ) {
    defineMailboxScripts(redis);
  }

  async send(message: NewMessage, firstChunk: Buffer, options: SendOptions): Promise<SendResult> {
    const now = Date.now();
    const whole = message.totalChunks === 1;
    const stored: Partial<StoredMessage> = {
      ...message,
      status: whole ? 'accepted' : 'uploading',
      createdAt: now,
      statusAt: now,
      acceptedAt: whole ? now : undefined,
    };
    // Indexed first: a failed index write refuses the send with nothing stored (a sender
    // retrying without a local id makes no duplicate). An id indexed but never stored (a
    // crash next, or a send the store answers with an earlier message) is passed over by
    // search, which shows only messages the store holds. A message in chunks is indexed
    // as its upload begins, and found as `uploading` until it is whole.
    await this.index?.add({ ...message, acceptedAt: now, nhsNumbers: options.nhsNumbers });
    const { keys } = this;
    const to = message.to;
    const window = message.localId ? options.sendOnceWindowMs : 0;
    const retention = this.lifetimes.deleteContentAfterMs;
    // Lookups by message id and local id live outside the recipient's slot. Issued first on the
    // same connection, they reach Redis before the atomic step, in one round trip with it; left
    // behind by a send that never happens, they are harmless.
    const lookups: Promise<unknown>[] = [this.redis.set(keys.recipientOf(message.id), to, 'PX', retention)];
    if (message.localId) lookups.push(this.redis.set(keys.sentByLocalId(message.from, message.localId), `${to}:${message.id}`, 'PX', retention, 'NX'));
    const [[id, duplicate]] = await Promise.all([
      this.redis.mailboxSend(
        keys.meta(to, message.id), keys.body(to, message.id), keys.inbox(to), keys.expiry(to), keys.purge(to),
        message.localId ? keys.sendOnce(to, message.workflowId, message.from, message.localId) : keys.noSendOnce(to),
        keys.chunkSizes(to, message.id),
        message.id, message.totalChunks, now + this.lifetimes.undeliveredAfterMs, now + retention, window,
        options.firstChunkSize ?? firstChunk.length, firstChunk, ...toFields(stored),
      ),
      ...lookups,
    ]);
    return { id, duplicate: duplicate === 1 };
  }

  async sendChunk(from: string, id: string, chunk: number, total: number, encoding: string, body: Buffer, size: ChunkSize): Promise<ChunkResult> {
    const to = await this.redis.get(this.keys.recipientOf(id));
    if (!to) throw new MeshError('NOT_FOUND', undefined, id);
    const now = Date.now();
    const { keys } = this;
    const outcome = await this.redis.mailboxChunk(
      keys.meta(to, id), keys.body(to, id), keys.inbox(to), keys.expiry(to), keys.chunkSizes(to, id),
      id, from, chunk, total, encoding, now, now + this.lifetimes.undeliveredAfterMs, body, size.size, size.maxBytes,
    );
    if (outcome === 'PARTIAL' || outcome === 'COMPLETE') return outcome;
    const detail = outcome === 'TOO_LARGE' ? `with chunk ${chunk} the message is over ${size.maxBytes} bytes` : undefined;
    throw new MeshError(outcome as MeshErrorKind, detail, id);
  }

  async list(mailbox: string, options: { after?: string; limit: number; filter?: (wf: string) => boolean }): Promise<InboxPage> {
    const ids: string[] = [];
    let cursor = options.after ? `(${options.after}` : '-';
    for (;;) {
      const want = options.filter ? LIST_BATCH : options.limit + 1 - ids.length;
      const batch = await this.redis.zrangebylex(this.keys.inbox(mailbox), cursor, '+', 'LIMIT', 0, want);
      const kept = options.filter ? await this.keepMatching(mailbox, batch, options.filter) : batch;
      ids.push(...kept);
      if (ids.length > options.limit) return { ids: ids.slice(0, options.limit), next: ids[options.limit - 1] };
      if (batch.length < want) return { ids };
      cursor = `(${batch[batch.length - 1]}`;
    }
  }

  private async keepMatching(mailbox: string, ids: string[], filter: (wf: string) => boolean): Promise<string[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.meta(mailbox, id), 'workflowId');
    const results = (await pipeline.exec()) ?? [];
    return ids.filter((_, i) => filter(String(results[i]?.[1] ?? '')));
  }

  count(mailbox: string): Promise<number> {
    return this.redis.zcard(this.keys.inbox(mailbox));
  }

  async get(mailbox: string, id: string): Promise<StoredMessage | undefined> {
    return fromHash(await this.redis.hgetall(this.keys.meta(mailbox, id)));
  }

  async chunk(mailbox: string, id: string, n: number): Promise<Buffer | undefined> {
    return (await this.redis.hgetBuffer(this.keys.body(mailbox, id), String(n))) ?? undefined;
  }

  async acknowledge(mailbox: string, id: string): Promise<Acknowledged | undefined> {
    const { keys } = this;
    const [outcome, workflowId] = await this.redis.mailboxAcknowledge(keys.meta(mailbox, id), keys.inbox(mailbox), keys.expiry(mailbox), id, Date.now());
    if (outcome !== 'OK') throw new MeshError(outcome as MeshErrorKind, undefined, id);
    return workflowId ? { workflowId } : undefined;
  }

  async track(sender: string, id: string): Promise<StoredMessage | undefined> {
    const message = await this.locate(id);
    return message?.from === sender ? message : undefined;
  }

  async trackByLocalId(sender: string, localId: string): Promise<StoredMessage | undefined> {
    const where = await this.redis.get(this.keys.sentByLocalId(sender, localId));
    if (!where) return undefined;
    const [to, id] = where.split(':');
    const message = await this.get(to, id);
    return message?.from === sender ? message : undefined;
  }

  /** Through the id-to-recipient lookup, which is kept as long as the content. */
  async locate(id: string): Promise<StoredMessage | undefined> {
    const to = await this.redis.get(this.keys.recipientOf(id));
    return to ? this.get(to, id) : undefined;
  }

  async recordHandshake(mailbox: string, info: HandshakeInfo): Promise<void> {
    const fields = Object.entries({ ...info, at: String(Date.now()) }).filter((e): e is [string, string] => Boolean(e[1]));
    await this.redis.hset(this.keys.handshake(mailbox), Object.fromEntries(fields));
  }

  async useNonce(mailbox: string, nonce: string, count: string, windowMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.nonce(mailbox, nonce, count), '1', 'PX', windowMs, 'NX')) === 'OK';
  }
}
