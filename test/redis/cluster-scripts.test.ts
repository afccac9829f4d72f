import type { Redis } from 'ioredis';
import { AuditLog } from '../../engine/console/audit.js';
import { chainHash } from '../../engine/console/audit-chain.js';
import { ConsoleKeys } from '../../engine/console/keys.js';
import { connectRedis } from '../../engine/redis/connect.js';
import { keySlot } from '../../engine/redis/key-slot.js';
import { redisFromEnv } from '../../engine/redis/settings.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';

/*
 * A script whose key count varies (the audit's, the register's) takes that count as its
 * first argument. ioredis's auto-pipelining on a Cluster groups calls by their first
 * argument's slot, so such a script called in the same tick as a command for the node
 * serving slot("<count>") was pipelined there and both were refused. Here that happens on
 * purpose, on a real cluster, and both must succeed.
 */
let cluster: RedisCluster;
let redis: Redis;

beforeAll(async () => {
  cluster = await startRedisCluster();
  redis = connectRedis(redisFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') }));
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

test('a variable-key script and a command for the node of slot("<key count>") share a tick on a Cluster, and both succeed', async () => {
  const keys = new ConsoleKeys('test:cluster-scripts:');
  const auditNode = await cluster.masterOf(keySlot(keys.audit()));
  // The audit's key count is 2 plus one per message id: pick one whose slot another master serves.
  let count = 2;
  while (await cluster.masterOf(keySlot(String(count))) === auditNode) count++;
  const elsewhere = `{${count}}:elsewhere`; // same slot as "<count>"
  await redis.set(elsewhere, 'here');
  const audit = new AuditLog(redis, keys); // defines the script on this connection
  const messageIds = Array.from({ length: count - 2 }, (_, i) => `M${i}`);
  const event = { at: new Date().toISOString(), user: 'admin', ip: '127.0.0.1', action: 'replay' as const, messageIds, outcome: 'ok' as const };
  const json = JSON.stringify(event);
  const scriptKeys = [keys.audit(), keys.auditAnchor(), ...messageIds.map((m) => keys.auditByMessage(m))];

  // The script as AuditLog.append sends it (the first entry: no previous hash), in the same tick as the GET.
  const [id, value] = await Promise.all([
    redis.consoleAuditAppend(scriptKeys.length, ...scriptKeys, '', json, chainHash('', json), event.at),
    redis.get(elsewhere),
  ]);

  expect(id).toMatch(/^\d+-\d+$/);
  expect(value).toBe('here');
  expect(await audit.verify()).toMatchObject({ ok: true });
}, 30_000);
