import type { Cluster, Redis } from 'ioredis';
import { nodeName } from '../../engine/redis/cluster-nodes.js';
import { checkRedis, connectRedis, persistenceEnabled, RedisSetupError } from '../../engine/redis/connect.js';
import { keySlot } from '../../engine/redis/key-slot.js';
import { redisReadiness } from '../../engine/redis/readiness.js';
import { defineScript } from '../../engine/redis/scripts.js';
import { Replicas, ReplicationShortfall } from '../../engine/redis/replicas.js';
import { redisFromEnv, type RedisSettings } from '../../engine/redis/settings.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { until } from '../support/wait.js';

/*
 * The commands with no key (WAIT, ROLE, CONFIG) on a real cluster of three masters, each
 * with one replica: a cluster client would send each to one node of its choosing, so the
 * hub asks every node. The last test kills a master.
 */
let cluster: RedisCluster;
let settings: RedisSettings;
let redis: Redis;
const nodesOf = (role: 'master' | 'slave' | 'all') => (redis as unknown as Cluster).nodes(role);
// One key in each of ten slots, so that every master takes writes.
const spread = Array.from({ length: 10 }, (_, i) => `test:cluster:{${i}}`);

beforeAll(async () => {
  cluster = await startRedisCluster();
  settings = redisFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') });
  redis = connectRedis(settings);
  await redis.ping();
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

test('the ten keys live on every master', async () => {
  await Promise.all(spread.map((key) => redis.set(key, '1')));
  const owners = new Set(await Promise.all(spread.map((key) => cluster.masterOf(keySlot(key)))));
  expect([...owners].sort()).toEqual(await cluster.masterPorts());
});

test('a script whose key count comes first runs alongside commands bound for the node that count would hash to', async () => {
  defineScript(redis, 'testCountKeys', 'return #KEYS');
  const countedTo = (redis as unknown as Cluster).slots[keySlot('2')][0];
  const elsewhere = spread.find((key) => (redis as unknown as Cluster).slots[keySlot(key)][0] !== countedTo)!;
  const there = spread.find((key) => (redis as unknown as Cluster).slots[keySlot(key)][0] === countedTo)!;
  const counted = (redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>).testCountKeys(2, elsewhere, `${elsewhere}:b`);
  // Issued in the same tick: auto-pipelining would batch them if the count were taken for a key.
  expect(await Promise.all([counted, redis.set(there, 'same tick')])).toEqual([2, 'OK']);
});

describe('Replicas on a cluster', () => {
  test('with replicaAcks 1, writes on every master are confirmed by each one\'s replica', async () => {
    const replicas = new Replicas(redis, 1, 2000);
    expect(await replicas.durably(() => Promise.all(spread.map((key) => redis.set(key, 'acked'))))).toEqual(spread.map(() => 'OK'));
    expect(await redis.get(spread[0])).toBe('acked');
  });

  test('with replicaAcks 2, one replica per master falls short: done, but refused as not durable', async () => {
    const replicas = new Replicas(redis, 2, 300);
    await expect(replicas.durably(() => redis.set(spread[1], 'short'))).rejects.toThrow(new ReplicationShortfall('1 of 2 replicas confirmed the write within 300 ms'));
    expect(await redis.get(spread[1])).toBe('short');
  });

  test('while one master\'s replica has stalled, a write on another master is confirmed and a write on that master refused', async () => {
    const stalledSlot = keySlot(spread[4]);
    const other = spread.find((key) => (redis as unknown as Cluster).slots[keySlot(key)][0] !== (redis as unknown as Cluster).slots[stalledSlot][0])!;
    const replicaName = (redis as unknown as Cluster).slots[stalledSlot][1];
    const replica = nodesOf('slave').find((node) => nodeName(node) === replicaName)!;
    const pid = Number(/process_id:(\d+)/.exec(await replica.info('server'))![1]);
    const replicas = new Replicas(redis, 1, 300);
    process.kill(pid, 'SIGSTOP');
    try {
      await expect(replicas.durably(() => redis.set(other, 'confirmed'))).resolves.toBe('OK');
      // Thrice: a WAIT sent to whichever node the client picks would confirm it two times in three.
      for (let i = 0; i < 3; i++) {
        await expect(replicas.durably(() => redis.set(spread[4], 'unconfirmed'))).rejects.toThrow(new ReplicationShortfall('0 of 1 replicas confirmed the write within 300 ms'));
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });
});

describe('start-up checks on a cluster ask every node', () => {
  const configSet = (node: Redis, name: string, value: string) => node.config('SET', name, value);

  test('a single replica that would evict is named', async () => {
    expect(await checkRedis(redis, settings)).toEqual([expect.stringContaining('Redis has no persistence')]);
    const [replica] = nodesOf('slave');
    await configSet(replica, 'maxmemory-policy', 'allkeys-lru');
    try {
      const refused = await checkRedis(redis, settings).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(RedisSetupError);
      expect((refused as Error).message).toContain(`maxmemory-policy is "allkeys-lru" on ${nodeName(replica)}`);
    } finally {
      await configSet(replica, 'maxmemory-policy', 'noeviction');
    }
  });

  test('persistence counts only when every node keeps to disk', async () => {
    const [first, ...rest] = nodesOf('all');
    expect(rest).toHaveLength(5);
    try {
      await configSet(first, 'save', '3600 1');
      expect(await persistenceEnabled(redis)).toBe(false);
      await Promise.all(rest.map((node) => configSet(node, 'save', '3600 1')));
      expect(await persistenceEnabled(redis)).toBe(true);
    } finally {
      await Promise.all(nodesOf('all').map((node) => configSet(node, 'save', '')));
    }
  });
});

describe('readiness on a cluster, and a master killed', () => {
  const slot = keySlot(spread[2]);

  test('ready while every slot\'s master answers with the replicas asked for; asked for more, not ready, naming each master', async () => {
    expect(await redisReadiness(redis, 0)).toEqual({ ready: true });
    expect(await redisReadiness(redis, 1)).toEqual({ ready: true });
    const tooMany = await redisReadiness(redis, 2);
    expect(tooMany).toMatchObject({ ready: false, code: 'TOO_FEW_REPLICAS' });
    expect(tooMany.ready || tooMany.detail.match(/master 127\.0\.0\.1:\d+ has 1/g)).toHaveLength(3);
  });

  test('a write whose master dies before replicas confirm it is refused; not ready until the replica takes over', async () => {
    const replicas = new Replicas(redis, 1, 500);
    let killed = 0;
    await expect(replicas.durably(async () => {
      await redis.set(spread[2], 'lost?');
      killed = await cluster.killMasterOf(slot);
    })).rejects.toBeInstanceOf(ReplicationShortfall);
    expect((await redisReadiness(redis, 0)).ready).toBe(false);
    await until(async () => (((await redisReadiness(redis, 0)).ready) ? true : undefined), 30_000, 200);
    expect(await cluster.masterOf(slot)).not.toBe(killed);
    expect(await cluster.masterPorts()).toHaveLength(3);
    // The promoted replica has no replica of its own: a write wanting one is refused, on any slot, and readiness names it.
    await expect(new Replicas(redis, 1, 300).durably(() => redis.set(spread[3], '1'))).rejects.toBeInstanceOf(ReplicationShortfall);
    expect(await redisReadiness(redis, 1)).toEqual({
      ready: false, code: 'TOO_FEW_REPLICAS', detail: `master 127.0.0.1:${await cluster.masterOf(slot)} has 0 of the 1 replicas online that replicaAcks waits for`,
    });
  }, 60_000);
});
