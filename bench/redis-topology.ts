import { Redis } from 'ioredis';
import { GROUP_NAME, startSentinelGroup } from '../test/support/sentinel-group.js';
import { startRedisCluster } from '../test/support/redis-cluster.js';
import { startPlainRedis } from './cpis-support.js';

/**
 * The three Redis topologies `npm run bench:ha` compares, each as real redis-server
 * processes on free ports with nothing on disk (the test suite's Sentinel group and
 * Cluster, and a single Redis with the same flags), and what their nodes' INFO says
 * about the Redis CPU and commands an operation costs.
 */

export type TopologyKind = 'single' | 'sentinel' | 'cluster';

export interface Nodes {
  masters: number[];
  replicas: number[];
}

export interface Topology {
  kind: TopologyKind;
  /** The REDIS_* variables naming it, for the hub and this process (redisFromEnv). */
  env: Record<string, string>;
  /** The ports of its data nodes now (not the sentinels). */
  nodes(): Promise<Nodes>;
  stop(): Promise<void>;
}

export async function startTopology(kind: TopologyKind, tmp: string): Promise<Topology> {
  if (kind === 'single') {
    const own = await startPlainRedis(tmp);
    const port = Number(new URL(own.url).port);
    return { kind, env: { REDIS_URL: own.url }, nodes: async () => ({ masters: [port], replicas: [] }), stop: own.stop };
  }
  if (kind === 'sentinel') {
    const group = await startSentinelGroup();
    return {
      kind,
      env: { REDIS_SENTINELS: group.sentinels.join(','), REDIS_SENTINEL_NAME: GROUP_NAME },
      nodes: async () => {
        const master = await group.masterPort();
        return { masters: [master], replicas: await replicasOf(master) };
      },
      stop: group.stop,
    };
  }
  const cluster = await startRedisCluster();
  await replicasListed(cluster.nodes.map((n) => Number(n.split(':')[1])));
  return {
    kind,
    env: { REDIS_CLUSTER_NODES: cluster.nodes.join(',') },
    nodes: async () => {
      const masters = await cluster.masterPorts();
      return { masters, replicas: cluster.nodes.map((n) => Number(n.split(':')[1])).filter((p) => !masters.includes(p)) };
    },
    stop: cluster.stop,
  };
}

/** The environment for a hub on this topology: its variables, none of another's, and how many replicas each write waits for. */
export function topologyEnv(topology: Topology, replicaAcks: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...topology.env, REDIS_REPLICA_ACKS: String(replicaAcks) };
  for (const name of ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_CLUSTER_NODES']) {
    if (!(name in topology.env)) delete env[name];
  }
  return env;
}

/**
 * For some seconds after `redis-cli --cluster create`, CLUSTER SLOTS names each range's master
 * only; a hub started then sees its slot map change under it (the replicas appear). The
 * benchmark measures the settled cluster: it waits until every node names a replica for every range.
 */
async function replicasListed(ports: number[], timeoutMs = 30_000): Promise<void> {
  const nodes = ports.map((port) => new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 }));
  try {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const views = await Promise.all(nodes.map((node) => node.call('CLUSTER', 'SLOTS') as Promise<unknown[][]>));
      if (views.every((ranges) => ranges.length > 0 && ranges.every((range) => range.length >= 4))) return;
      if (performance.now() > deadline) throw new Error(`the cluster's nodes did not all list a replica for every slot range within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    for (const node of nodes) node.disconnect();
  }
}

async function replicasOf(master: number): Promise<number[]> {
  const redis = new Redis({ port: master, host: '127.0.0.1', maxRetriesPerRequest: 0 });
  try {
    const info = await redis.info('replication');
    return [...info.matchAll(/^slave\d+:.*?port=(\d+)/gm)].map((m) => Number(m[1]));
  } finally {
    redis.disconnect();
  }
}

/** CPU milliseconds (user + sys, the whole process) and commands so far, summed over the masters, and the replicas' CPU. */
export interface RedisCounters {
  wall: number;
  masterCpuMs: number;
  masterCalls: number;
  replicaCpuMs: number;
}

/**
 * Reads INFO cpu and INFO commandstats on every data node through a connection of its own,
 * kept open so that reading costs no connection set-up. The INFO calls it makes are not counted.
 */
export class RedisMeter {
  private constructor(private readonly masters: Redis[], private readonly replicas: Redis[]) {}

  static async open(topology: Topology): Promise<RedisMeter> {
    const { masters, replicas } = await topology.nodes();
    const connect = (port: number) => new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    return new RedisMeter(masters.map(connect), replicas.map(connect));
  }

  async read(): Promise<RedisCounters> {
    const [masters, replicas] = await Promise.all([Promise.all(this.masters.map(nodeCounters)), Promise.all(this.replicas.map(nodeCounters))]);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return {
      wall: performance.now(),
      masterCpuMs: sum(masters.map((m) => m.cpuMs)),
      masterCalls: sum(masters.map((m) => m.calls)),
      replicaCpuMs: sum(replicas.map((r) => r.cpuMs)),
    };
  }

  close(): void {
    for (const redis of [...this.masters, ...this.replicas]) redis.disconnect();
  }
}

async function nodeCounters(redis: Redis): Promise<{ cpuMs: number; calls: number }> {
  const info = await redis.info('everything');
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  const calls = [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].filter((m) => m[1] !== 'info').reduce((a, m) => a + Number(m[2]), 0);
  return { cpuMs: (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000, calls };
}

/** Redis cost per operation: masters' CPU and commands, replicas' CPU, with the topology's idle rate taken out. */
export interface OpCost {
  operations: number;
  masterCpuMs: number;
  commands: number;
  replicaCpuMs: number;
}

/** What the topology does with nothing asked of it (serverCron, replication pings, BullMQ's waits), per second. */
export interface IdleRate {
  masterCpuMs: number;
  commands: number;
  replicaCpuMs: number;
}

export function idleRate(from: RedisCounters, to: RedisCounters): IdleRate {
  const seconds = (to.wall - from.wall) / 1000;
  return {
    masterCpuMs: (to.masterCpuMs - from.masterCpuMs) / seconds,
    commands: (to.masterCalls - from.masterCalls) / seconds,
    replicaCpuMs: (to.replicaCpuMs - from.replicaCpuMs) / seconds,
  };
}

export function opCost(from: RedisCounters, to: RedisCounters, idle: IdleRate, operations: number): OpCost {
  const seconds = (to.wall - from.wall) / 1000;
  const per = (delta: number, idlePerSecond: number) => (delta - idlePerSecond * seconds) / operations;
  return {
    operations,
    masterCpuMs: per(to.masterCpuMs - from.masterCpuMs, idle.masterCpuMs),
    commands: per(to.masterCalls - from.masterCalls, idle.commands),
    replicaCpuMs: per(to.replicaCpuMs - from.replicaCpuMs, idle.replicaCpuMs),
  };
}
