import { Redis } from 'ioredis';
import { SearchKeys } from '../../engine/search/search-keys.js';
import { holdFailures } from '../console/held-failures.js';
import { Staff, until } from '../console/staff.js';
import { startCpisHub } from '../support/cpis.js';
import { REDIS_URL, type TestHub } from '../support/hub.js';

/** The failed index follows the real workers and the real staff actions, and a reindex repairs it. */
describe('the failed-message index', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: SearchKeys;
  let operator: Staff;
  let ids: Record<'script' | 'broken' | 'plan', string>;
  const indexed = async () => (await redis.zrange(keys.failedAt(), 0, -1)).sort();
  const summarised = async () => (await redis.hkeys(keys.failedSummary())).sort();

  beforeAll(async () => {
    hub = await startCpisHub();
    redis = new Redis(REDIS_URL);
    keys = new SearchKeys(hub.keyPrefix);
    operator = await Staff.login(hub.url, 'operator');
    ids = await holdFailures(hub, operator);
  }, 30_000);

  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  test('holds each failure in the index as the workers hold it, with what the filter reads', async () => {
    expect(await indexed()).toEqual(Object.values(ids).sort());
    expect(await summarised()).toEqual(await indexed());
    const entry = JSON.parse((await redis.hget(keys.failedSummary(), ids.plan))!);
    expect(entry).toMatchObject({ messageId: ids.plan, queue: 'planUpdate', workflowId: 'CPIS_PLAN_UPDATE', from: 'LA706CSC', reason: 'SCHEMA_INVALID' });
  });

  test('a replay takes the message out until it fails again; a discard takes it out for good', async () => {
    expect((await operator.post(`/messages/${ids.broken}/replay`)).status).toBe(200);
    await until(async () => ((await indexed()).includes(ids.broken) ? true : undefined), 15_000);
    const after = (await operator.get('/failed', { q: ids.broken })).body.items[0];
    expect(after.attempts).toBe(2);
    expect((await operator.post(`/messages/${ids.script}/discard`, { reason: 'test' })).status).toBe(204);
    expect(await indexed()).toEqual([ids.broken, ids.plan].sort());
    expect((await operator.get('/failed')).body.total).toBe(2);
  });

  test('a reindex adds failed jobs the index lacks and drops entries whose job is failed no more', async () => {
    await redis.del(keys.failedAt(), keys.failedSummary());
    await redis.zadd(keys.failedAt(), Date.now(), 'NOT-A-FAILED-JOB');
    expect(await hub.failed!.reindex()).toEqual({ added: 2, dropped: 1 });
    expect(await indexed()).toEqual([ids.broken, ids.plan].sort());
    expect(await summarised()).toEqual(await indexed());
    expect((await operator.get('/failed', { q: ids.plan })).body.items[0].nhsNumber).toMatch(/^\*{7}\d{3}$/);
  });
});
