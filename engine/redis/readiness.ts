import type { Cluster, Redis } from 'ioredis';
import { nodeName } from './cluster-nodes.js';

/** Longer than a healthy round trip by far; short enough that a load balancer's probe gets its answer. */
const PROBE_TIMEOUT_MS = 1000;
const CLUSTER_SLOTS = 16384;

/**
 * Whether the hub can take writes now: the connection is up and what it reaches is a
 * master. A connection left on a replica (a demoted master, a Sentinel mid-failover)
 * answers PING but refuses writes (READONLY), so ROLE is asked, not PING. While there is
 * no master ioredis queues commands; the timeout makes that "not ready" rather than a hang.
 */
export async function redisWritable(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS); });
  const probe = redis.isCluster ? clusterWritable(redis as unknown as Cluster) : isMaster(redis);
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}

function isMaster(node: Redis): Promise<boolean> {
  return node.call('ROLE').then((reply) => Array.isArray(reply) && reply[0] === 'master', () => false);
}

/**
 * A Cluster takes every write only when every slot has a master that answers: ROLE (the
 * client's table may name a node since demoted) and CLUSTER INFO's cluster_state:ok (the
 * cluster's own verdict) from each master the client knows, and every slot in the client's
 * table on one of those. A master just killed leaves its slots on a node that no longer
 * answers until its replica takes over and the client reads the slots again, which a
 * failed probe asks for.
 */
async function clusterWritable(cluster: Cluster): Promise<boolean> {
  const answering = new Set<string>();
  await Promise.all(cluster.nodes('master').map(async (node) => {
    const [master, info] = await Promise.all([isMaster(node), node.call('CLUSTER', 'INFO').catch(() => '')]);
    if (master && String(info).includes('cluster_state:ok')) answering.add(nodeName(node));
  }));
  const slots = cluster.slots;
  let covered = slots.length === CLUSTER_SLOTS;
  for (let slot = 0; covered && slot < CLUSTER_SLOTS; slot++) covered = slots[slot] !== undefined && answering.has(slots[slot][0]);
  if (!covered) cluster.refreshSlotsCache();
  return covered;
}
