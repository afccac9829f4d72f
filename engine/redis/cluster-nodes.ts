import type { Cluster, Redis } from 'ioredis';

/**
 * A Cluster answers key commands by routing them to the slot's master; a command with no
 * key (WAIT, ROLE, CONFIG, SCAN, DBSIZE) it sends to any one node, where it says nothing
 * about the rest. Such commands are asked of each master instead, on the connections the
 * cluster client keeps to them. undefined for a single Redis or a Sentinel group.
 */
export async function clusterMasters(redis: Redis): Promise<Redis[] | undefined> {
  if (!redis.isCluster) return undefined;
  const cluster = redis as unknown as Cluster;
  // A lazy cluster knows no nodes until it has connected and read the slots.
  if (cluster.status === 'wait') await cluster.connect();
  return cluster.nodes('master');
}
