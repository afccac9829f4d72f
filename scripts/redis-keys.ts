import type { Cluster, Redis } from 'ioredis';
import { clusterNodes } from '../engine/redis/cluster-nodes.js';

/**
 * Deletes every key matching a glob (a run's `prefix*`), a batch at a time; returns how
 * many went. SCAN walks one node's keys, so on a Cluster (a Redis from connectRedis may be
 * one) every master is walked, each key unlinked on its own: a batch may span slots.
 */
export async function deleteMatching(redis: Redis, pattern: string): Promise<number> {
  const masters = await clusterNodes(redis);
  if (!masters) return deleteOnNode(redis, pattern, (keys) => redis.unlink(...keys));
  const counts = await Promise.all(masters.map((node) => deleteOnNode(node, pattern, unlinkEach(redis as unknown as Cluster))));
  return counts.reduce((a, b) => a + b, 0);
}

function unlinkEach(cluster: Cluster) {
  return async (keys: string[]) => (await Promise.all(keys.map((key) => cluster.unlink(key)))).reduce((a, b) => a + b, 0);
}

async function deleteOnNode(node: Redis, pattern: string, unlink: (keys: string[]) => Promise<number>): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    if (keys.length) deleted += await unlink(keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
