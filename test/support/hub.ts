import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import winston from 'winston';
import { resolveConfig } from '../../engine/config/load.js';
import { deleteMatching } from '../../scripts/redis-keys.js';
import { startHub, type Hub } from '../../engine/hub.js';
import { connectRedis } from '../../engine/redis/connect.js';
import { redisFromEnv, type RedisSettings } from '../../engine/redis/settings.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * The Redis the tests use: REDIS_URL's, or the Cluster REDIS_CLUSTER_NODES names (the
 * cluster suites run the hub's own integration tests on one that way).
 */
export const TEST_REDIS: RedisSettings = redisFromEnv(process.env);

/** A connection to the tests' Redis, through the hub's own factory. */
export function testRedis(): Redis {
  return connectRedis(TEST_REDIS);
}
export const SANDBOX_CONFIG = 'config/mesh-sandbox.yaml';

export interface TestHub extends Hub {
  keyPrefix: string;
}

/** A silent logger that keeps what was logged, so tests can check logs carry ids only. */
export function memoryLogger(lines: object[] = []): winston.Logger {
  return winston.createLogger({
    level: 'debug',
    transports: [new winston.transports.Stream({
      stream: new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } }),
    })],
    format: winston.format.json(),
  });
}

/**
 * The real hub in this process, on a free port, against the real Redis with a key
 * prefix of its own. `overrides` are merged over the sample file's top level
 * (and `mesh` over its `mesh`). Given a `keyPrefix`, it shares another hub's data
 * and leaves the keys to that hub's owner when it stops.
 */
export async function startTestHub(
  overrides: Record<string, unknown> = {},
  options: { file?: string; log?: winston.Logger; keyPrefix?: string; redis?: Partial<RedisSettings> } = {},
): Promise<TestHub> {
  const file = options.file ?? SANDBOX_CONFIG;
  const raw = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const merged = { ...raw, ...overrides, mesh: { ...(raw.mesh as object), ...(overrides.mesh as object) } };
  const keyPrefix = options.keyPrefix ?? `test:${randomUUID().slice(0, 8)}:`;
  const hub = await startHub({
    config: resolveConfig(merged, file, {}),
    redis: { ...TEST_REDIS, ...options.redis },
    port: 0,
    host: '127.0.0.1',
    keyPrefix,
    log: options.log ?? memoryLogger(),
  });
  return {
    ...hub,
    keyPrefix,
    async stop() {
      await hub.stop();
      if (!options.keyPrefix) await deleteKeys(`${keyPrefix}*`);
    },
  };
}

/** Removes a test's keys from the shared Redis. */
export async function deleteKeys(pattern: string): Promise<void> {
  const redis = testRedis();
  try {
    await deleteMatching(redis, pattern);
  } finally {
    redis.disconnect();
  }
}
