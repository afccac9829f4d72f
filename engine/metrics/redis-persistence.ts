import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { persistenceEnabled } from '../redis/connect.js';

/** Redis's persistence settings change only by hand, so a scrape reads them at most this often. */
const CACHE_MS = 60_000;

/**
 * `cpisx_redis_persistence_enabled`: 1 when Redis keeps an AOF or RDB save points, 0
 * when a restart would lose every mailbox. Not registered when Redis refuses CONFIG
 * (a managed service): the hub cannot tell then, and a made-up value would mislead.
 * A read that fails later keeps the last value.
 */
export async function watchRedisPersistence(registry: Registry, redis: Redis, now = Date.now): Promise<void> {
  const first = await persistenceEnabled(redis);
  if (first === undefined) return;
  let known = { at: now(), enabled: first };
  new Gauge({
    name: 'cpisx_redis_persistence_enabled',
    help: 'Whether Redis writes to disk: 1 with appendonly or save points, 0 without',
    registers: [registry],
    async collect() {
      if (now() - known.at >= CACHE_MS) known = { at: now(), enabled: (await persistenceEnabled(redis)) ?? known.enabled };
      this.set(known.enabled ? 1 : 0);
    },
  });
}
