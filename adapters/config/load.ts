import type { SecretSource } from '../../engine/config/secret.js';
import { ConfigError, readConfigFile, readSecret } from '../../engine/config/yaml-file.js';
import { isListenHost } from './listen-host.js';
import { laConfigSchema, pasConfigSchema, type LaConfig, type PasConfig, type QueryClientConfig } from './schema.js';

/** A configuration with every secret (`{env}`, `{file}`) replaced by its value. */
export type Resolved<T> = T extends Exclude<SecretSource, string>
  ? string
  : T extends (infer U)[]
    ? Resolved<U>[]
    : T extends object
      ? { [K in keyof T]: Resolved<T[K]> }
      : T;

/** The adapter's own settings: `query` is for `cpisx query`, so its secret need not be set where the adapter runs. */
export function loadPasConfig(file: string, env: NodeJS.ProcessEnv = process.env): Resolved<Omit<PasConfig, 'query'>> {
  const { query, ...adapter } = readConfigFile(file, pasConfigSchema);
  return withEnvironment(resolveSecrets(adapter, file, env) as Resolved<Omit<PasConfig, 'query'>>, env);
}

export function loadLaConfig(file: string, env: NodeJS.ProcessEnv = process.env): Resolved<LaConfig> {
  return withEnvironment(resolveSecrets(readConfigFile(file, laConfigSchema), file, env) as Resolved<LaConfig>, env);
}

/**
 * The PAS adapter file's `query` section, for `cpisx query`: only its secret is read, so staff
 * can ask without the adapter's MESH password. The URL defaults to the adapter's hub, MESH_URL
 * included. Undefined when the file has no such section.
 */
export function loadPasQueryClient(file: string, env: NodeJS.ProcessEnv = process.env): (Resolved<QueryClientConfig> & { url: string }) | undefined {
  const cfg = readConfigFile(file, pasConfigSchema);
  if (!cfg.query) return undefined;
  const secret = readSecret(cfg.query.secret, file, 'query.secret', env);
  return { ...cfg.query, url: cfg.query.url ?? env.MESH_URL ?? cfg.mesh.url, secret };
}

/**
 * MESH_URL and MESH_SHARED_KEY override the file, as for the hub: one file serves several
 * deployments. ADAPTER_HEALTH_PORT and ADAPTER_HEALTH_HOST set the ops server's port and
 * address, which a container sets (in a container, every interface, for a scraper next to it).
 */
function withEnvironment<C extends { mesh: { url: string; sharedKey: string }; ops: { port?: number; host: string } }>(cfg: C, env: NodeJS.ProcessEnv): C {
  const url = env.MESH_URL ?? cfg.mesh.url;
  if (!URL.canParse(url)) throw new ConfigError(`MESH_URL: not a URL: ${url}`);
  const mesh = { ...cfg.mesh, url, sharedKey: env.MESH_SHARED_KEY ?? cfg.mesh.sharedKey };
  return { ...cfg, mesh, ops: { ...cfg.ops, port: healthPort(env.ADAPTER_HEALTH_PORT) ?? cfg.ops.port, host: healthHost(env.ADAPTER_HEALTH_HOST) ?? cfg.ops.host } };
}

function healthHost(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isListenHost(value)) throw new ConfigError(`ADAPTER_HEALTH_HOST: not an IP address or host name: ${value}`);
  return value;
}

function healthPort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`ADAPTER_HEALTH_PORT: not a port: ${value}`);
  return port;
}

/** Walks the checked configuration; the schema guarantees that `{env}` and `{file}` objects are secrets. */
function resolveSecrets(value: unknown, file: string, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (Array.isArray(value)) return value.map((v, i) => resolveSecrets(v, file, env, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return value;
  if (isSecretRef(value)) return readSecret(value, file, path, env);
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, file, env, path ? `${path}.${k}` : k)]),
  );
}

function isSecretRef(value: object): value is Exclude<SecretSource, string> {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'env' || keys[0] === 'file');
}
