import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Keys } from '../../engine/mailbox/keys.js';
import { RedisMailboxStore } from '../../engine/mailbox/redis-store.js';
import { deleteKeys, REDIS_URL } from '../support/hub.js';

const prefix = `test:locate:${randomUUID().slice(0, 8)}:`;
const redis = new Redis(REDIS_URL);
const store = new RedisMailboxStore(redis, { undeliveredAfterMs: 3_600_000, deleteContentAfterMs: 3_600_000 }, new Keys(prefix));

beforeAll(async () => {
  await store.send({ id: 'LOC-1', from: 'RR8PAS', to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', type: 'DATA', totalChunks: 1 }, Buffer.from('<a/>'), { sendOnceWindowMs: 0 });
  await store.send({ id: 'LOC-2', from: 'X26HUB', to: 'LA706CSC', workflowId: 'CPIS_PLAN_UPDATE_ACK', type: 'DATA', totalChunks: 1 }, Buffer.from('<b/>'), { sendOnceWindowMs: 0 });
});
afterAll(async () => {
  await deleteKeys(`${prefix}*`);
  redis.disconnect();
});

describe('locate: a message by id alone', () => {
  test.each([['LOC-1', 'X26HUB'], ['LOC-2', 'LA706CSC']])('%s is found in the mailbox that received it (%s)', async (id, to) => {
    expect(await store.locate(id)).toMatchObject({ id, to });
  });

  test('whoever sent it, unlike track, which answers only its sender', async () => {
    expect(await store.track('LA706CSC', 'LOC-1')).toBeUndefined();
    expect(await store.locate('LOC-1')).toMatchObject({ from: 'RR8PAS' });
  });

  test('an unknown id is not found', async () => {
    expect(await store.locate('LOC-NONE')).toBeUndefined();
  });
});
