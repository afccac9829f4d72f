import { parseArgs } from 'node:util';
import type { HubRole } from '../hub.js';
import { redisEnv, type RedisEnv } from '../redis/settings.js';
import { SettingError } from './setting-error.js';

export { SettingError } from './setting-error.js';

/** What the hub process is started with: its command line and environment, each value checked. */
export interface HubSettings {
  configFile: string;
  role: HubRole;
  processes: number;
  port: number;
  host: string;
  /** Redis as the environment gives it; the configuration file's `redis:` fills in the rest (redis/settings.ts). */
  redis: RedisEnv;
  keyPrefix?: string;
  logLevel: string;
}

export const DEFAULT_CONFIG = 'config/sample.yaml';
const ROLES: readonly HubRole[] = ['all', 'api', 'worker'];
/** winston's levels, which createLogger uses. */
const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];
const MAX_PROCESSES = 64;

/**
 * The settings from `argv` (without node and the script) and `env`. A flag beats its
 * environment variable, which beats the default: `--config`, then CPIS_CONFIG, then
 * config/sample.yaml, so `npm start` needs no flag and CPIS_CONFIG still works.
 */
export function hubSettings(argv: string[], env: NodeJS.ProcessEnv): HubSettings {
  const flags = parseFlags(argv);
  const pick = (flag: 'config' | 'role' | 'processes', variable: string) =>
    flags[flag] !== undefined ? { name: `--${flag}`, value: flags[flag] } : env[variable] !== undefined ? { name: variable, value: env[variable] } : undefined;

  const role = pick('role', 'HUB_ROLE');
  if (role && !ROLES.includes(role.value as HubRole)) throw new SettingError(`${role.name} ${role.value}: not a role (${ROLES.join(', ')})`);
  const processes = pick('processes', 'HUB_PROCESSES');
  if (processes && !isWholeNumber(processes.value, 1, MAX_PROCESSES)) throw new SettingError(`${processes.name} ${processes.value}: not a number of processes (1-${MAX_PROCESSES})`);
  // 0 asks the system for any free port, as tests do.
  if (env.PORT !== undefined && !isWholeNumber(env.PORT, 0, 65535)) throw new SettingError(`PORT ${env.PORT}: not a port number (1-65535)`);
  if (env.HOST !== undefined && env.HOST.trim() === '') throw new SettingError('HOST is empty: give an address or host name to listen on, e.g. 0.0.0.0');
  if (env.LOG_LEVEL !== undefined && !LOG_LEVELS.includes(env.LOG_LEVEL)) throw new SettingError(`LOG_LEVEL ${env.LOG_LEVEL}: not a log level (${LOG_LEVELS.join(', ')})`);
  const redis = redisEnv(env);
  const config = pick('config', 'CPIS_CONFIG');
  if (config?.value === '') throw new SettingError(`${config.name} is empty: give a configuration file`);

  return {
    configFile: config?.value ?? DEFAULT_CONFIG,
    role: (role?.value ?? 'all') as HubRole,
    processes: Number(processes?.value ?? 1),
    port: Number(env.PORT ?? 8700),
    host: env.HOST ?? '0.0.0.0',
    redis,
    keyPrefix: env.REDIS_KEY_PREFIX,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

function parseFlags(argv: string[]): { config?: string; role?: string; processes?: string } {
  try {
    return parseArgs({ args: argv, options: { config: { type: 'string' }, role: { type: 'string' }, processes: { type: 'string' } } }).values;
  } catch (err) {
    // Node's own wording ("Unknown option '--confg'. To specify a positional argument, ..."): its first sentence is the fault.
    throw new SettingError(`${(err as Error).message.split('. ')[0]}; the hub takes --config FILE, --role ${ROLES.join('|')} and --processes N`);
  }
}

function isWholeNumber(text: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(text.trim())) return false;
  const n = Number(text);
  return n >= min && n <= max;
}
