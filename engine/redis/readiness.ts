import type { Cluster, Redis } from 'ioredis';
import { nodeName } from './cluster-nodes.js';

/** Longer than a healthy round trip by far; short enough that a load balancer's probe gets its answer. */
const PROBE_TIMEOUT_MS = 1000;
const CLUSTER_SLOTS = 16384;

/** Why the hub cannot take writes now; shared by /health/ready and its tests. */
export type UnreadyCode = 'REDIS_UNREACHABLE' | 'NOT_MASTER' | 'SLOTS_UNSERVED' | 'TOO_FEW_REPLICAS';

export type Readiness = { ready: true } | { ready: false; code: UnreadyCode; detail: string };

const READY: Readiness = { ready: true };
const unready = (code: UnreadyCode, detail: string): Readiness => ({ ready: false, code, detail });

/**
 * Whether the hub can take writes now: the connection is up, what it reaches is a master,
 * and that master has the replicas `replicaAcks` waits for. A connection left on a replica
 * (a demoted master, a Sentinel mid-failover) answers PING but refuses writes (READONLY), so
 * ROLE is asked, not PING; ROLE also lists the replicas online. A master short of replicas
 * would have every durable write refused after `replicaAckTimeout`: not ready, and the answer
 * says which master. While there is no master ioredis queues commands; the timeout makes
 * that "not ready" rather than a hang.
 */
export async function redisReadiness(redis: Redis, replicaAcks: number): Promise<Readiness> {
  if (redis.status !== 'ready') return unready('REDIS_UNREACHABLE', `the Redis connection is ${redis.status}`);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve(unready('REDIS_UNREACHABLE', `Redis did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  const probe = redis.isCluster ? clusterReadiness(redis as unknown as Cluster, replicaAcks) : masterReadiness(redis, replicaAcks);
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** ROLE's answer: a master with how many replicas are online, 'other' for a replica or sentinel, 'silent' when it does not answer. */
async function masterRole(node: Redis): Promise<{ replicas: number } | 'other' | 'silent'> {
  const reply = await node.call('ROLE').catch(() => 'silent' as const);
  if (reply === 'silent') return reply;
  if (!Array.isArray(reply) || reply[0] !== 'master') return 'other';
  return { replicas: Array.isArray(reply[2]) ? reply[2].length : 0 };
}

async function masterReadiness(redis: Redis, replicaAcks: number): Promise<Readiness> {
  const role = await masterRole(redis);
  // The error itself names addresses; a readiness answer may be read outside the hub's network.
  if (role === 'silent') return unready('REDIS_UNREACHABLE', 'Redis does not answer (the hub is reconnecting)');
  if (role === 'other') return unready('NOT_MASTER', 'the Redis the hub reaches is not a master (a failover may be under way)');
  return role.replicas < replicaAcks ? tooFew([`the master has ${role.replicas}`], replicaAcks) : READY;
}

function tooFew(masters: string[], replicaAcks: number): Readiness {
  return unready('TOO_FEW_REPLICAS', `${masters.join('; ')} of the ${replicaAcks} replicas online that replicaAcks waits for`);
}

/**
 * A Cluster takes every write only when every slot has a master that answers: ROLE (the
 * client's table may name a node since demoted) and CLUSTER INFO's cluster_state:ok (the
 * cluster's own verdict) from each master the client knows, and every slot in the client's
 * table on one of those. A master just killed leaves its slots on a node that no longer
 * answers until its replica takes over and the client reads the slots again, which a
 * failed probe asks for. Every master needs the replicas: the hub WAITs on each.
 */
async function clusterReadiness(cluster: Cluster, replicaAcks: number): Promise<Readiness> {
  const answering = new Set<string>();
  const short: string[] = [];
  await Promise.all(cluster.nodes('master').map(async (node) => {
    const [role, info] = await Promise.all([masterRole(node), node.call('CLUSTER', 'INFO').catch(() => '')]);
    if (typeof role === 'string' || !String(info).includes('cluster_state:ok')) return;
    answering.add(nodeName(node));
    if (role.replicas < replicaAcks) short.push(`master ${nodeName(node)} has ${role.replicas}`);
  }));
  const slots = cluster.slots;
  let covered = slots.length === CLUSTER_SLOTS;
  for (let slot = 0; covered && slot < CLUSTER_SLOTS; slot++) covered = slots[slot] !== undefined && answering.has(slots[slot][0]);
  if (!covered) {
    cluster.refreshSlotsCache();
    return unready('SLOTS_UNSERVED', 'some slots have no master answering (a failover may be under way)');
  }
  return short.length > 0 ? tooFew(short.sort(), replicaAcks) : READY;
}
