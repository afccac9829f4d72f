import { connectRedis } from '../../engine/redis/connect.js';
import { redisReadiness } from '../../engine/redis/readiness.js';
import { Replicas, ReplicationShortfall } from '../../engine/redis/replicas.js';
import { singleRedis } from '../../engine/redis/settings.js';
import { deleteKeys, REDIS_URL, startTestHub, type TestHub } from '../support/hub.js';
import { expectMeshError, inboxIds, send } from '../support/mesh-flow.js';

// The shared test Redis has no replicas, so any replicaAcks above 0 must fall short.
const prefix = `test:replicas:${process.pid}:`;
const redis = connectRedis(singleRedis(REDIS_URL));
afterAll(async () => {
  await deleteKeys(`${prefix}*`);
  redis.disconnect();
});

test('with replicaAcks 0 the writes run and nothing waits', async () => {
  const replicas = new Replicas(redis, 0, 100);
  expect(await replicas.durably(() => redis.set(`${prefix}a`, '1'))).toBe('OK');
});

test('with more replicas asked than Redis has, the write is done but refused as not durable', async () => {
  const replicas = new Replicas(redis, 1, 100);
  await expect(replicas.durably(() => redis.set(`${prefix}b`, '1'))).rejects.toBeInstanceOf(ReplicationShortfall);
  expect(await redis.get(`${prefix}b`)).toBe('1');
});

test('a lone master is writable: ready, unless replicas are asked for, and then the answer says so', async () => {
  await redis.ping();
  expect(await redisReadiness(redis, 0)).toEqual({ ready: true });
  expect(await redisReadiness(redis, 1)).toEqual({
    ready: false, code: 'TOO_FEW_REPLICAS', detail: 'the master has 0 of the 1 replicas online that replicaAcks waits for',
  });
});

describe('a hub asking for a replica Redis does not have', () => {
  let hub: TestHub;
  beforeAll(async () => { hub = await startTestHub({}, { redis: { replicaAcks: 1, replicaAckTimeout: 100 } }); });
  afterAll(async () => { await hub.stop(); });

  test('answers a send 503, which MESH clients retry, and a resend with the same local id makes no second message', async () => {
    for (let i = 0; i < 2; i++) expectMeshError(await send(hub.url, 'not yet durable', { headers: { 'mex-localid': 'wait-1' } }), 503, '503');
    expect(await inboxIds(hub.url, 'X26ABC2')).toHaveLength(1);
  });

  test('is not ready, and says why', async () => {
    const res = await fetch(`${hub.url}/health/ready`);
    expect([res.status, await res.json()]).toEqual([503, {
      status: 'not ready', code: 'TOO_FEW_REPLICAS', detail: 'the master has 0 of the 1 replicas online that replicaAcks waits for',
    }]);
  });
});
