import cluster from 'node:cluster';
import { loadConfig, type HubConfig } from './config/load.js';
import { startHub, type Hub } from './hub.js';
import { createLogger } from './log.js';
import { checkRedis, connectRedis } from './redis/connect.js';
import { redisSettings, type RedisSettings } from './redis/settings.js';
import { checkListen } from './startup/listen-check.js';
import { hubSettings, type HubSettings } from './startup/settings.js';

/**
 * `npm start`: the hub. Every setting is checked before anything is logged or started,
 * so a bad start is one line on stderr naming the setting, and exit 1.
 */
async function main(): Promise<void> {
  const settings = attempt(() => hubSettings(process.argv.slice(2), process.env));
  const config = attempt(() => loadConfig(settings.configFile));
  const redis = attempt(() => redisSettings(config.redis, settings.redis));
  if (cluster.isPrimary) await attempt(() => checkListen(settings.port, settings.host));
  if (settings.processes > 1 && cluster.isPrimary) {
    await attempt(() => checkRedisOnce(redis));
    return runCluster(settings.processes);
  }
  return runHub(settings, config, redis);
}

async function runHub(settings: HubSettings, config: HubConfig, redis: RedisSettings): Promise<void> {
  const log = createLogger('hub', settings.logLevel);
  // Listening from the first moment: a signal during start-up (a long first sweep) still stops cleanly.
  let hub: Hub | undefined;
  let stopping = false;
  const stop = () => hub!.stop().then(() => process.exit(0), () => process.exit(1));
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    if (hub) void stop();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    hub = await startHub({
      config,
      redis,
      port: settings.port,
      host: settings.host,
      keyPrefix: settings.keyPrefix,
      role: settings.role,
      log,
    });
  } catch (err) {
    failStart(err);
  }
  if (stopping) void stop();
}

/** The primary of several processes checks Redis once, so a Redis that is down is one line, not one per process. */
async function checkRedisOnce(settings: RedisSettings): Promise<void> {
  const redis = connectRedis(settings);
  try {
    await checkRedis(redis, settings);
  } finally {
    redis.disconnect();
  }
}

/**
 * Several hub processes on one port (Node's cluster shares the listening socket), so
 * one machine's cores all serve; they already share the work through Redis. The
 * primary passes signals on and exits when they have all stopped.
 */
function runCluster(processes: number): void {
  for (let i = 0; i < processes; i++) cluster.fork();
  let failed = false;
  cluster.on('exit', (_worker, code) => {
    failed ||= code !== 0;
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => { for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal); });
  }
}

/** The step's result, or its failure as the one line a bad start prints. */
function attempt<T>(step: () => T): T {
  try {
    const result = step();
    return (result instanceof Promise ? result.catch(failStart) : result) as T;
  } catch (err) {
    return failStart(err);
  }
}

function failStart(err: unknown): never {
  process.stderr.write(`cpis-exchange hub: ${(err as Error).message}\n`);
  process.exit(1);
}

void main();
