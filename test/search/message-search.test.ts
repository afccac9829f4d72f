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
      await index.accepted({ ...message, acceptedAt: at });
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
      await own.accepted({ id: `MONTH${month}`, from: 'LA706CSC', to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', localId: 'MONTHLY', acceptedAt });
      await own.patients(`MONTH${month}`, acceptedAt, ['9434765919']);
    }
    // The last write, on day 75, keeps what was accepted since day 45.
    for (const key of [own.keys.field('localId', 'MONTHLY'), own.keys.field('nhsNumber', '9434765919')]) {
      expect(await redis.zrange(key, 0, -1)).toEqual(['MONTH2', 'MONTH3']);
    }
  });
});
