import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

export class RedisSetupError extends Error {
  readonly code = 'REDIS_SETUP';
}

/** One connection, auto-pipelined: commands issued in the same tick share a round trip. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 3, lazyConnect: true });
}

/**
 * Start-up checks: Redis answers; it will never evict keys (an evicted message is a
 * lost message); and a warning when it keeps nothing on disk.
 */
export async function checkRedis(redis: Redis, log: Logger): Promise<void> {
  try {
    if (redis.status === 'wait') await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new RedisSetupError(`Redis is not reachable: ${(err as Error).message}`);
  }
  const policy = await configValue(redis, 'maxmemory-policy');
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisSetupError(
      `Redis maxmemory-policy is "${policy}"; it must be "noeviction" so that no message is ever evicted. ` +
        'Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf)',
    );
  }
  const [aof, save] = await Promise.all([configValue(redis, 'appendonly'), configValue(redis, 'save')]);
  if (aof === 'no' && !save) {
    log.warn('Redis has no persistence (appendonly no, no save points): a Redis restart loses every mailbox. Use appendonly yes with appendfsync always in production.');
  }
}

async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  try {
    const reply = (await redis.config('GET', name)) as string[];
    return reply[1];
  } catch {
    return undefined; // managed Redis services may refuse CONFIG; nothing to check then
  }
}
