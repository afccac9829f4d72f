import { configSchema, type HubConfigFile, type MailboxConfig, type QueryClientConfig, type SecretSource } from './schema.js';
import type { RedisFileSettings } from '../redis/settings.js';
import { checkConfig, ConfigError, readConfigFile, readSecret } from './yaml-file.js';

export { ConfigError } from './yaml-file.js';

/** The configuration with every secret resolved to its value. */
export interface HubConfig extends Omit<HubConfigFile, 'mailboxes' | 'sharedKey' | 'queryClients' | 'redis'> {
  /** The file it was read from, for the hub's first log line. */
  file: string;
  sharedKey: string;
  mailboxes: (Omit<MailboxConfig, 'password'> & { password: string })[];
  queryClients: QueryClientConfig[];
  redis?: RedisFileSettings;
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): HubConfig {
  return resolveSecrets(readConfigFile(file, configSchema), file, env);
}

export function resolveConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): HubConfig {
  return resolveSecrets(checkConfig(configSchema, raw, file), file, env);
}

function resolveSecrets(cfg: HubConfigFile, file: string, env: NodeJS.ProcessEnv): HubConfig {
  const secretAt = (source: SecretSource, path: string) => readSecret(source, file, path, env);
  const sharedKey = env.MESH_SHARED_KEY ?? (cfg.sharedKey ? secretAt(cfg.sharedKey, 'sharedKey') : undefined);
  if (!sharedKey) throw new ConfigError(`${file}: sharedKey: not set; give sharedKey in the file or MESH_SHARED_KEY in the environment`);
  return {
    ...cfg,
    file,
    sharedKey,
    mailboxes: cfg.mailboxes.map((m, i) => ({ ...m, password: secretAt(m.password, `mailboxes[${i}].password`) })),
    redis: cfg.redis && resolveRedis(cfg.redis, secretAt),
    queryClients: cfg.queryClients.map(({ secret, ...c }, i) => (secret === undefined ? c : { ...c, secret: secretAt(secret, `queryClients[${i}].secret`) })),
  };
}

function resolveRedis(redis: NonNullable<HubConfigFile['redis']>, secretAt: (source: SecretSource, path: string) => string): RedisFileSettings {
  const { sentinels, password, ...rest } = redis;
  return {
    ...rest,
    password: password && secretAt(password, 'redis.password'),
    sentinels: sentinels && { ...sentinels, password: sentinels.password && secretAt(sentinels.password, 'redis.sentinels.password') },
  };
}
