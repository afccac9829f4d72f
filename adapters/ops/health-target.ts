import { parseArgs } from 'node:util';
import { loadConfig } from '../../engine/config/load.js';
import { hubSettings } from '../../engine/startup/settings.js';
import { loadLaConfig, loadPasConfig } from '../config/load.js';

/** Where a process answers its readiness, and how to reach it. */
export interface HealthTarget {
  url: string;
  /** The hub serves `mesh.tls`: this certificate file is the one it must present (liveness, not identity). */
  ownCertificate?: string;
  /** With `requireClientCert`, the hub's own key and certificate are shown as the client's. */
  client?: { key: string; cert: string };
}

export type HealthTargetError = { code: 'NOT_OURS' | 'NO_OPS_SERVER' | 'CONFIG_INVALID'; message: string };

const HUB = /(^|\/)engine\/main\.[jt]s$/;
const CPISX = /(^|\/)cpisx\.[jt]s$/;

/**
 * The readiness endpoint of the hub or adapter a command line starts, read as that process
 * reads its settings: the same flags, environment and configuration file (resolved from its
 * working folder, which the caller has made ours). A hub on every address is asked on loopback.
 */
export function healthTarget(command: readonly string[], env: NodeJS.ProcessEnv): { ok: true; value: HealthTarget } | { ok: false; error: HealthTargetError } {
  try {
    const hub = command.findIndex((arg) => HUB.test(arg));
    if (hub >= 0) return { ok: true, value: hubTarget(command.slice(hub + 1), env) };
    const cpisx = command.findIndex((arg) => CPISX.test(arg));
    const [verb, kind, ...rest] = cpisx >= 0 ? command.slice(cpisx + 1) : [];
    if (verb === 'adapter' && (kind === 'pas' || kind === 'la')) return adapterTarget(kind, rest, env);
    return { ok: false, error: { code: 'NOT_OURS', message: `not a hub or an adapter: ${command.join(' ')}` } };
  } catch (err) {
    return { ok: false, error: { code: 'CONFIG_INVALID', message: (err as Error).message } };
  }
}

function hubTarget(args: string[], env: NodeJS.ProcessEnv): HealthTarget {
  const settings = hubSettings(args, env);
  const tls = loadConfig(settings.configFile, env).mesh.tls;
  const url = `${tls ? 'https' : 'http'}://${loopbackFor(settings.host)}:${settings.port}/health/ready`;
  if (!tls) return { url };
  return { url, ownCertificate: tls.cert, ...(tls.requireClientCert ? { client: { key: tls.key, cert: tls.cert } } : {}) };
}

function adapterTarget(kind: 'pas' | 'la', args: string[], env: NodeJS.ProcessEnv): ReturnType<typeof healthTarget> {
  const file = parseArgs({ args, options: { config: { type: 'string', short: 'c' } }, strict: false }).values.config ?? env.CPIS_ADAPTER_CONFIG;
  if (typeof file !== 'string') return { ok: false, error: { code: 'CONFIG_INVALID', message: `the ${kind} adapter names no configuration file` } };
  const { ops } = kind === 'pas' ? loadPasConfig(file, env) : loadLaConfig(file, env);
  if (ops.port === undefined) {
    return { ok: false, error: { code: 'NO_OPS_SERVER', message: `the ${kind} adapter serves no /health/ready: give it ops.port in ${file} or ADAPTER_HEALTH_PORT` } };
  }
  return { ok: true, value: { url: `http://${loopbackFor(ops.host)}:${ops.port}/health/ready` } };
}

/** Listening on every address includes loopback; a given address is asked where it listens. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
