import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

export class RedisSetupError extends Error {
  readonly code = 'REDIS_SETUP';
}

/** The URL for messages and logs: any password in it replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^(.*?\/\/)?([^:@/]*):.*@/, '$1$2:***@');
}

/** One connection, auto-pipelined: commands issued in the same tick share a round trip. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 3, lazyConnect: true });
}

/**
 * Start-up checks: Redis answers; it will never evict keys (an evicted message is a
 * lost message). Returns warnings for the caller to log: Redis keeps nothing on disk.
 * A failure names the URL (redacted), so the one line it becomes says what to fix.
 */
export async function checkRedis(redis: Redis, url: string): Promise<string[]> {
  // Listening stops ioredis printing its own stack for the refused connection; the first error says why.
  let refused: Error | undefined;
  const remember = (err: Error) => { refused ??= err; };
  redis.on('error', remember);
  try {
    if (redis.status === 'wait') await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new RedisSetupError(`${redactUrl(url)}: cannot connect (${reasonOf(refused ?? (err as Error))})`);
  } finally {
    redis.off('error', remember);
  }
  const policy = await configValue(redis, 'maxmemory-policy');
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisSetupError(
      `${redactUrl(url)}: maxmemory-policy is "${policy}"; it must be "noeviction" so that no message is ever evicted. ` +
        'Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf)',
    );
  }
  return (await persistenceEnabled(redis)) === false
    ? ['Redis has no persistence (appendonly no, no save points): a Redis restart loses every mailbox. Use appendonly yes with appendfsync always in production.']
    : [];
}

/** Whether Redis writes to disk (AOF or RDB save points); undefined when it refuses CONFIG (managed services). */
export async function persistenceEnabled(redis: Redis): Promise<boolean | undefined> {
  const [aof, save] = await Promise.all([configValue(redis, 'appendonly'), configValue(redis, 'save')]);
  if (aof === undefined) return undefined;
  return aof === 'yes' || Boolean(save);
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
