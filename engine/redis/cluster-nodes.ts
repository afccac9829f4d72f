import type { Cluster, Redis } from 'ioredis';

/**
 * A Cluster routes a key's command to the slot's master; a command with no key (WAIT, ROLE,
 * CONFIG, SCAN) it sends to any one node, where the answer says nothing about the rest.
 * Such commands are asked of each node instead, on the connections the cluster client keeps
 * to them (the ones its key commands use). undefined for a single Redis or a Sentinel group.
 */
export async function clusterNodes(redis: Redis, role: 'master' | 'all' = 'master'): Promise<Redis[] | undefined> {
  if (!redis.isCluster) return undefined;
  const cluster = redis as unknown as Cluster;
  // A lazy cluster knows no nodes until it has connected and read the slots.
  if (cluster.status === 'wait') await cluster.connect();
  return cluster.nodes(role);
}

/** `host:port`, as the cluster client names a node in its slot table. */
export function nodeName(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}
