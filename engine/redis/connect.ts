import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log.js';
import { clusterNodes, nodeName } from './cluster-nodes.js';
import { describeRedis, type RedisSettings, type RedisTls } from './settings.js';

export class RedisSetupError extends Error {
  readonly code = 'REDIS_SETUP';
}

/**
 * What a connection is for. `commands`: auto-pipelined (commands issued in the same tick
 * share a round trip), a command fails after 3 reconnect attempts so a request answers
 * 503 rather than hang. `blocking`: BullMQ's, which blocks on it and needs no per-command
 * retry limit.
 */
export type RedisPurpose = 'commands' | 'blocking';

/**
 * The one way anything connects to Redis: a single Redis, a Sentinel group (ioredis asks
 * the sentinels for the master and asks again after a failover) or a Cluster. Lazy: the
 * first command, or checkRedis, connects.
 *
 * A Cluster is returned as a Redis: it answers the same key commands (every multi-key step
 * stays in one slot by its keys' hash tags); commands with no key are asked of each node
 * (cluster-nodes.ts).
 */
export function connectRedis(settings: RedisSettings, purpose: RedisPurpose = 'commands'): Redis {
  const options = connectionOptions(settings, purpose);
  const { topology } = settings;
  if (topology.kind === 'single') return new Redis(topology.url, options);
  if (topology.kind === 'sentinel') {
    return new Redis({
      ...options, sentinels: topology.sentinels, name: topology.name,
      // The sentinels are asked over TLS too when the data nodes are (Redis's tls-port serves both).
      sentinelPassword: topology.sentinelPassword, enableTLSForSentinelMode: options.tls !== undefined, sentinelTLS: options.tls,
      // Not ioredis's failover detector: its +switch-master handler disconnects the connector, and when that lands
      // while the client is already reconnecting (the master died first), the connect in progress fails and
      // ioredis ends the connection for good ("Connection is closed." on every command, no reconnect). Seen in CI
      // and under load (test/reliability/adapters-failover.test.ts): a hub that accepted sends but never queued them.
      // Without it the client learns of a failover as Redis tells every client: the dead master's connections drop,
      // and Sentinel closes the clients of a master it demotes (CLIENT KILL), so the client asks the sentinels again.
      failoverDetector: false,
    });
  }
  return new Cluster(topology.nodes, {
    redisOptions: options, enableAutoPipelining: options.enableAutoPipelining, maxRedirections: 16,
    lazyConnect: true, clusterRetryStrategy: (times) => Math.min(times * 100, 2000),
  }) as unknown as Redis;
}

function connectionOptions(settings: RedisSettings, purpose: RedisPurpose): RedisOptions {
  const tls = tlsOptions(settings.tls);
  return {
    lazyConnect: true,
    enableAutoPipelining: purpose === 'commands',
    maxRetriesPerRequest: purpose === 'commands' ? 3 : null,
    password: settings.password,
    ...(tls ? { tls } : {}),
    // A failover can leave a connection on a demoted master: reconnect (Sentinel names the new one) and resend.
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
  };
}

function tlsOptions(tls: RedisTls | undefined): ConnectionOptions | undefined {
  if (!tls) return undefined;
  const read = (path: string | undefined) => (path === undefined ? undefined : readFileSync(path));
  return { ca: read(tls.ca), cert: read(tls.cert), key: read(tls.key) };
}

/**
 * Start-up checks: Redis answers; it will never evict keys (an evicted message is a
 * lost message). Returns warnings for the caller to log: Redis keeps nothing on disk.
 * A failure names the setting and its value (password hidden), so the one line it becomes says what to fix.
 */
export async function checkRedis(redis: Redis, settings: RedisSettings): Promise<string[]> {
  const named = describeRedis(settings);
  // Listening stops ioredis printing its own stack for the refused connection; the first error says why.
  let refused: Error | undefined;
  const remember = (err: Error) => { refused ??= err; };
  redis.on('error', remember);
  try {
    if (redis.status === 'wait') await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new RedisSetupError(`${named}: cannot connect (${reasonOf(refused ?? (err as Error))})`);
  } finally {
    redis.off('error', remember);
  }
  const nodes = await configuredNodes(redis);
  const policies = await Promise.all(nodes.map((node) => configValue(node, 'maxmemory-policy')));
  const evicting = policies.findIndex((policy) => policy !== undefined && policy !== 'noeviction');
  if (evicting !== -1) {
    throw new RedisSetupError(
      `${named}: maxmemory-policy is "${policies[evicting]}"${redis.isCluster ? ` on ${nodeName(nodes[evicting])}` : ''}; ` +
        'it must be "noeviction" so that no message is ever evicted. Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf)',
    );
  }
  return (await persistenceEnabled(redis)) === false
    ? ['Redis has no persistence (appendonly no, no save points): a Redis restart loses every mailbox. Use appendonly yes with appendfsync always in production.']
    : [];
}

/**
 * Whether Redis writes to disk (AOF or RDB save points); undefined when it refuses CONFIG
 * (managed services). A Cluster does only when every node does.
 */
export async function persistenceEnabled(redis: Redis): Promise<boolean | undefined> {
  const each = await Promise.all((await configuredNodes(redis)).map(nodePersists));
  if (each.includes(false)) return false;
  return each.includes(undefined) ? undefined : true;
}

async function nodePersists(node: Redis): Promise<boolean | undefined> {
  const [aof, save] = await Promise.all([configValue(node, 'appendonly'), configValue(node, 'save')]);
  if (aof === undefined) return undefined;
  return aof === 'yes' || Boolean(save);
}

/**
 * Where CONFIG is asked: the one Redis, or each node of a Cluster, replicas too (a replica
 * is the master after a failover, with its own configuration); CONFIG has no key to route by.
 */
async function configuredNodes(redis: Redis): Promise<Redis[]> {
  return (await clusterNodes(redis, 'all')) ?? [redis];
}

/**
 * Logs a running connection's errors, once per kind until it is back, instead of
 * ioredis printing a stack trace on every reconnect attempt.
 */
export function logConnectionErrors(redis: Redis, log: Logger): void {
  let last: string | undefined;
  redis.on('error', (err: Error) => {
    const reason = reasonOf(err);
    if (reason !== last) log.error('Redis connection error; reconnecting', { reason });
    last = reason;
  });
  redis.on('ready', () => {
    if (last !== undefined) log.info('Redis connection back');
    last = undefined;
  });
}

function reasonOf(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? err.message;
}

async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  try {
    const reply = (await redis.config('GET', name)) as string[];
    return reply[1];
  } catch {
    return undefined; // managed Redis services may refuse CONFIG; nothing to check then
  }
}
