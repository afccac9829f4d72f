import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Keys } from '../../engine/mailbox/keys.js';
import { RedisMailboxStore } from '../../engine/mailbox/redis-store.js';
import { MessageIndex } from '../../engine/search/message-index.js';
import { MessageSearch } from '../../engine/search/message-search.js';
import { SearchKeys } from '../../engine/search/search-keys.js';
import { deleteKeys, REDIS_URL } from '../support/hub.js';

const DAY = 86_400_000;

/** The search's paging and retention against the real Redis: a burst of messages accepted in one millisecond, and time passing. */
describe('MessageSearch over the index', () => {
  const prefix = `test:search:${randomUUID().slice(0, 8)}:`;
  const redis = new Redis(REDIS_URL);
  const index = new MessageIndex(redis, new SearchKeys(prefix), 30 * DAY);
  // The store here writes the messages only; the test indexes them itself, all at one time.
  const store = new RedisMailboxStore(redis, { undeliveredAfterMs: 5 * DAY, deleteContentAfterMs: 30 * DAY }, new Keys(prefix));
  const search = new MessageSearch(redis, index, store);
  const at = Date.now() - 1000;
  const ids = Array.from({ length: 1200 }, (_, i) => `BURST${String(i).padStart(5, '0')}`);

  beforeAll(async () => {
    for (const [i, id] of ids.entries()) {
      const message = { id, from: 'X26HUB', to: i % 3 === 0 ? 'LA706CSC' : 'RR8PAS', workflowId: 'CPIS_ATTENDANCE_RESPONSE', type: 'DATA' as const, totalChunks: 1, localId: `B-${i}` };
      await store.send(message, Buffer.from('<a/>'), { sendOnceWindowMs: 0 });
      await index.add({ ...message, acceptedAt: at });
    }
  }, 60_000);

  afterAll(async () => {
    await deleteKeys(`${prefix}*`);
    redis.disconnect();
  });

  test('pages through a burst accepted in one millisecond, longer than a step, each message exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search.search({ to: 'RR8PAS', limit: 150, cursor });
      seen.push(...page.items.map((m) => m.id));
      cursor = page.next;
    } while (cursor);
    const expected = ids.filter((_, i) => i % 3 !== 0);
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
  });

  test('intersects fields, and sees nothing once content retention has passed, before and after the prune', async () => {
    expect((await search.search({ localId: 'B-3', to: 'LA706CSC', limit: 10 })).items.map((m) => m.id)).toEqual(['BURST00003']);
    expect((await search.search({ localId: 'B-3', to: 'RR8PAS', limit: 10 })).items).toEqual([]);
    const later = at + 30 * DAY + 1;
    expect((await search.search({ workflow: 'CPIS_ATTENDANCE_RESPONSE', limit: 10 }, later)).items).toEqual([]);
    expect(await index.prune(later)).toBe(1200 * 4); // all, workflow, from, to
    expect(await redis.zcard(index.keys.field('to', 'RR8PAS'))).toBe(0);
    expect(await redis.pttl(index.keys.field('localId', 'B-3'))).toBeLessThanOrEqual(30 * DAY);
  });

  test('a local id or NHS number named month after month keeps one retention period of messages, not its history', async () => {
    const own = new MessageIndex(redis, new SearchKeys(`${prefix}own:`), 30 * DAY);
    // From now on, as the sets would be written over the coming months (a set written past its expiry is gone at once).
    const first = Date.now();
    for (const month of [0, 1, 2, 3]) {
      const acceptedAt = first + month * 25 * DAY;
      await own.add({ id: `MONTH${month}`, from: 'LA706CSC', to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', localId: 'MONTHLY', acceptedAt });
      await own.patients(`MONTH${month}`, acceptedAt, ['9434765919']);
    }
    // The last write, on day 75, keeps what was accepted since day 45.
    for (const key of [own.keys.field('localId', 'MONTHLY'), own.keys.field('nhsNumber', '9434765919')]) {
      expect(await redis.zrange(key, 0, -1)).toEqual(['MONTH2', 'MONTH3']);
    }
  });
});

/** The index is written before the message is stored: what that costs when either step fails. */
describe('MessageSearch with the index written first', () => {
  const prefix = `test:search:${randomUUID().slice(0, 8)}:`;
  const redis = new Redis(REDIS_URL);
  const index = new MessageIndex(redis, new SearchKeys(prefix), 30 * DAY);
  const store = new RedisMailboxStore(redis, { undeliveredAfterMs: 5 * DAY, deleteContentAfterMs: 30 * DAY }, new Keys(prefix), index);
  const search = new MessageSearch(redis, index, store);
  const message = (id: string, localId: string) => ({ id, from: 'RR8PAS', to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', type: 'DATA' as const, totalChunks: 1, localId });

  afterAll(async () => {
    await deleteKeys(`${prefix}*`);
    redis.disconnect();
  });

  test('an index that cannot be written refuses the send with nothing stored; the retry is stored and found once', async () => {
    await redis.set(index.keys.all(), 'not a sorted set');
    await expect(store.send(message('REFUSED1', 'RETRIED'), Buffer.from('<a/>'), { sendOnceWindowMs: 0 })).rejects.toThrow(/WRONGTYPE/);
    expect(await store.locate('REFUSED1')).toBeUndefined();
    expect(await store.count('X26HUB')).toBe(0);
    await redis.del(index.keys.all());
    await store.send(message('REFUSED1', 'RETRIED'), Buffer.from('<a/>'), { sendOnceWindowMs: 0 });
    expect((await search.search({ localId: 'RETRIED', limit: 10 })).items.map((m) => m.id)).toEqual(['REFUSED1']);
  });

  test('ids indexed but never stored are passed over, and a page still fills to its limit', async () => {
    const at = Date.now();
    // Interleaved by time: what a crash after each index write, or a duplicate send, leaves behind.
    for (const [i, id] of ['REAL1', 'LOST1', 'REAL2', 'LOST2', 'LOST3', 'REAL3', 'LOST4'].entries()) {
      const sent = message(id, 'INTERLEAVED');
      if (id.startsWith('REAL')) await store.send(sent, Buffer.from('<a/>'), { sendOnceWindowMs: 0 });
      await redis.zadd(index.keys.field('localId', 'INTERLEAVED'), 'XX', at + i, id); // where each falls in time, for a stable order
      if (id.startsWith('LOST')) await index.add({ ...sent, acceptedAt: at + i });
    }
    const first = await search.search({ localId: 'INTERLEAVED', limit: 2 });
    expect(first.items.map((m) => m.id)).toEqual(['REAL3', 'REAL2']);
    const second = await search.search({ localId: 'INTERLEAVED', limit: 2, cursor: first.next });
    expect(second.items.map((m) => m.id)).toEqual(['REAL1']);
  });

  test('a send answered by an earlier message with the same local id is found once, as that message', async () => {
    const first = await store.send(message('ONCE1', 'SENT-TWICE'), Buffer.from('<a/>'), { sendOnceWindowMs: 60_000 });
    const again = await store.send(message('ONCE2', 'SENT-TWICE'), Buffer.from('<a/>'), { sendOnceWindowMs: 60_000 });
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect((await search.search({ localId: 'SENT-TWICE', limit: 10 })).items.map((m) => m.id)).toEqual(['ONCE1']);
  });

  test('a message in chunks is found from its first chunk, uploading until it is whole', async () => {
    await store.send({ ...message('CHUNKED1', 'IN-CHUNKS'), totalChunks: 2 }, Buffer.from('<a>'), { sendOnceWindowMs: 0 });
    const status = async () => (await search.search({ localId: 'IN-CHUNKS', limit: 10 })).items.map((m) => [m.id, m.status]);
    expect(await status()).toEqual([['CHUNKED1', 'uploading']]);
    await store.sendChunk('RR8PAS', 'CHUNKED1', 2, 2, '', Buffer.from('</a>'), { size: 4, maxBytes: 1000 });
    expect(await status()).toEqual([['CHUNKED1', 'accepted']]);
  });
});
