import { loadConfig } from '../engine/config/load.js';
import { startHub, type HubRole } from '../engine/hub.js';
import { createLogger } from '../engine/log.js';
import { redisEnv, redisSettings } from '../engine/redis/settings.js';

/**
 * The hub as engine/main.ts builds it, for the benchmark to run as a child process:
 * it binds 127.0.0.1 on a port the OS picks (no free-port race) and tells its parent
 * the URL over the IPC channel.
 * Arguments: CONFIG_FILE KEY_PREFIX [ROLE]; ROLE is all (the default), api or worker
 * (a worker serves health and metrics only).
 */
async function run(): Promise<void> {
  const [configFile, keyPrefix, role = 'all'] = process.argv.slice(2);
  if (!['all', 'api', 'worker'].includes(role)) throw new Error(`role must be all, api or worker, not "${role}"`);
  const config = loadConfig(configFile);
  const hub = await startHub({
    config,
    redis: redisSettings(config.redis, redisEnv(process.env)),
    port: 0,
    host: '127.0.0.1',
    keyPrefix,
    role: role as HubRole,
    log: createLogger('hub'),
  });
  const stop = () => hub.stop().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', stop);
  // The parent going away (even killed outright) closes the channel: never outlive it.
  process.once('disconnect', stop);
  process.send?.({ url: hub.url });
}

run().catch((err: Error) => {
  process.stderr.write(`bench hub: ${err.message}\n`);
  process.exit(1);
});
