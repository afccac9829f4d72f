import { SettingError } from '../startup/setting-error.js';

/**
 * Where Redis is and how to reach it: one Redis (a URL), a Sentinel group or a
 * Cluster, with a password, TLS and how many replicas must hold a write before the
 * hub says it has it. The environment beats the configuration file's `redis:` section.
 */
export interface HostPort {
  host: string;
  port: number;
}

export type RedisTopology =
  | { kind: 'single'; url: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; sentinelPassword?: string }
  | { kind: 'cluster'; nodes: HostPort[] };

/** TLS files (paths), for a Sentinel group or Cluster; a single Redis may also say `rediss://`. */
export interface RedisTls {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface RedisSettings {
  topology: RedisTopology;
  /** Which setting named the topology (REDIS_URL, redis.sentinels, …): start-up failures name it. */
  source: string;
  password?: string;
  tls?: RedisTls;
  /** Replicas that must confirm a write (WAIT) before the hub answers for it; 0 does not wait. */
  replicaAcks: number;
  replicaAckTimeout: number;
}

/** The `redis:` section as the configuration file gives it, its password resolved. */
export interface RedisFileSettings {
  url?: string;
  sentinels?: { nodes: string[]; name: string; password?: string };
  cluster?: { nodes: string[] };
  password?: string;
  tls?: RedisTls;
  replicaAcks: number;
  replicaAckTimeout: number;
}

/** What the environment says about Redis, each value already checked (startup/settings.ts). */
export interface RedisEnv {
  url?: string;
  sentinels?: HostPort[];
  sentinelName?: string;
  clusterNodes?: HostPort[];
  password?: string;
  replicaAcks?: number;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_REPLICA_ACK_TIMEOUT = 1000;

/** `host:port,host:port`; undefined when any part is not one. */
export function parseNodes(text: string): HostPort[] | undefined {
  const nodes = text.split(',').map((part) => parseNode(part.trim()));
  return nodes.every((n): n is HostPort => n !== undefined) ? nodes : undefined;
}

export function parseNode(text: string): HostPort | undefined {
  const match = /^([^\s:,]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(text);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

export function isRedisUrl(text: string): boolean {
  try {
    return ['redis:', 'rediss:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** The URL for messages and logs: any password in it replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^(.*?\/\/)?([^:@/]*):.*@/, '$1$2:***@');
}

/**
 * The environment's topology replaces the file's whole (one of REDIS_URL, REDIS_SENTINELS,
 * REDIS_CLUSTER_NODES; startup/settings.ts refuses two); REDIS_PASSWORD replaces its password.
 */
export function redisSettings(file: RedisFileSettings | undefined, env: RedisEnv): RedisSettings {
  const fromEnv = envTopology(env, file);
  const fromFile = file && fileTopology(file);
  const chosen = fromEnv ?? fromFile ?? { topology: { kind: 'single', url: DEFAULT_REDIS_URL } as const, source: 'REDIS_URL' };
  return {
    ...chosen,
    password: env.password ?? file?.password,
    tls: file?.tls,
    replicaAcks: env.replicaAcks ?? file?.replicaAcks ?? 0,
    replicaAckTimeout: file?.replicaAckTimeout ?? DEFAULT_REPLICA_ACK_TIMEOUT,
  };
}

/**
 * REDIS_URL, REDIS_SENTINELS (+ REDIS_SENTINEL_NAME) or REDIS_CLUSTER_NODES, at most one;
 * REDIS_PASSWORD and REDIS_REPLICA_ACKS with any. An empty REDIS_URL counts as unset: a
 * compose override file cannot remove the base file's variable (compose.ha.yml).
 */
export function redisEnv(env: NodeJS.ProcessEnv): RedisEnv {
  if (env.REDIS_URL === '') env = { ...env, REDIS_URL: undefined };
  if (env.REDIS_URL !== undefined && !isRedisUrl(env.REDIS_URL)) throw new SettingError(`REDIS_URL ${redactUrl(env.REDIS_URL)}: not a redis:// or rediss:// URL`);
  const nodes = (name: string) => {
    const text = env[name];
    if (text === undefined) return undefined;
    const parsed = parseNodes(text);
    if (!parsed) throw new SettingError(`${name} ${text}: not a list of host:port, e.g. 10.0.0.1:26379,10.0.0.2:26379`);
    return parsed;
  };
  const sentinels = nodes('REDIS_SENTINELS');
  const clusterNodes = nodes('REDIS_CLUSTER_NODES');
  const given = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'].filter((name) => env[name] !== undefined);
  if (given.length > 1) throw new SettingError(`${given.join(' and ')} are both set: give one (a single Redis, a Sentinel group or a Cluster)`);
  if (env.REDIS_SENTINEL_NAME === '') throw new SettingError('REDIS_SENTINEL_NAME is empty: give the master group name the sentinels monitor');
  if (env.REDIS_PASSWORD === '') throw new SettingError('REDIS_PASSWORD is empty: unset it, or give the password');
  const acks = env.REDIS_REPLICA_ACKS;
  if (acks !== undefined && !/^(\d|1[0-6])$/.test(acks)) throw new SettingError(`REDIS_REPLICA_ACKS ${acks}: not a number of replicas (0-16)`);
  return {
    url: env.REDIS_URL, sentinels, sentinelName: env.REDIS_SENTINEL_NAME, clusterNodes, password: env.REDIS_PASSWORD,
    replicaAcks: acks === undefined ? undefined : Number(acks),
  };
}

/** Redis as the environment alone says (benchmarks, the demo, tests): REDIS_URL or its default, or a Sentinel group or Cluster. */
export function redisFromEnv(env: NodeJS.ProcessEnv = process.env): RedisSettings {
  return redisSettings(undefined, redisEnv(env));
}

/** A single Redis at `url` with nothing else set: tests, benchmarks and the demo. */
export function singleRedis(url: string, extra: Partial<RedisSettings> = {}): RedisSettings {
  return { topology: { kind: 'single', url }, source: 'REDIS_URL', replicaAcks: 0, replicaAckTimeout: DEFAULT_REPLICA_ACK_TIMEOUT, ...extra };
}

/** The setting and its value, password hidden: how start-up failures name what to fix. */
export function describeRedis(settings: RedisSettings): string {
  const { topology, source } = settings;
  if (topology.kind === 'single') return `${source} ${redactUrl(topology.url)}`;
  if (topology.kind === 'sentinel') return `${source} ${formatNodes(topology.sentinels)} (master ${topology.name})`;
  return `${source} ${formatNodes(topology.nodes)}`;
}

function envTopology(env: RedisEnv, file: RedisFileSettings | undefined): Pick<RedisSettings, 'topology' | 'source'> | undefined {
  if (env.url) return { topology: { kind: 'single', url: env.url }, source: 'REDIS_URL' };
  if (env.sentinels) {
    // The group name may stay in the file while the environment moves the sentinels.
    const name = env.sentinelName ?? file?.sentinels?.name;
    if (!name) throw new SettingError('REDIS_SENTINELS needs REDIS_SENTINEL_NAME, the master group name the sentinels monitor');
    return { topology: { kind: 'sentinel', sentinels: env.sentinels, name, sentinelPassword: file?.sentinels?.password }, source: 'REDIS_SENTINELS' };
  }
  if (env.clusterNodes) return { topology: { kind: 'cluster', nodes: env.clusterNodes }, source: 'REDIS_CLUSTER_NODES' };
  return undefined;
}

/** The schema has checked the nodes and that at most one topology is given. */
function fileTopology(file: RedisFileSettings): Pick<RedisSettings, 'topology' | 'source'> | undefined {
  if (file.url) return { topology: { kind: 'single', url: file.url }, source: 'redis.url' };
  if (file.sentinels) {
    const { nodes, name, password } = file.sentinels;
    return { topology: { kind: 'sentinel', sentinels: nodes.map(checkedNode), name, sentinelPassword: password }, source: 'redis.sentinels' };
  }
  if (file.cluster) return { topology: { kind: 'cluster', nodes: file.cluster.nodes.map(checkedNode) }, source: 'redis.cluster' };
  return undefined;
}

function checkedNode(text: string): HostPort {
  return parseNode(text)!;
}

function formatNodes(nodes: HostPort[]): string {
  return nodes.map((n) => `${n.host}:${n.port}`).join(',');
}

