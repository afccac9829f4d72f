import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig } from './config/load.js';
import { startHub, type Hub, type HubRole } from './hub.js';
import { createLogger } from './log.js';

/** `npm start`: the hub from a configuration file (`--config` or CPIS_CONFIG). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      role: { type: 'string', default: process.env.HUB_ROLE ?? 'all' },
      processes: { type: 'string', default: process.env.HUB_PROCESSES ?? '1' },
    },
  });
  const role = values.role as HubRole;
  if (!['all', 'api', 'worker'].includes(role)) fail(`--role must be all, api or worker, not "${role}"`);
  const processes = Number(values.processes);
  if (!Number.isInteger(processes) || processes < 1 || processes > 64) fail(`--processes must be a whole number from 1 to 64, not "${values.processes}"`);
  if (processes > 1 && cluster.isPrimary) return runCluster(processes);
  const file = values.config ?? process.env.CPIS_CONFIG;
  const log = createLogger('hub');
  if (!file) fail('no configuration: give --config FILE or set CPIS_CONFIG');

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
    const config = loadConfig(file);
    if (config.sample) log.warn('running a sample configuration: its passwords and shared key are public test values', { file });
    hub = await startHub({
      config,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      port: Number(process.env.PORT ?? 8700),
      host: process.env.HOST,
      keyPrefix: process.env.REDIS_KEY_PREFIX,
      role,
      log,
    });
    if (stopping) void stop();
  } catch (err) {
    fail((err as Error).message);
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

function fail(message: string): never {
  process.stderr.write(`cpis-exchange hub: ${message}\n`);
  process.exit(1);
}

void main();
