import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { healthTarget, type HealthTarget, type HealthTargetError } from './health-target.js';

/**
 * The container health check of the image and docker-compose.yml:
 * `node dist/adapters/ops/healthcheck.js [pid]`. It asks the hub or adapter the container
 * runs (the given process, else the first hub or adapter among the container's own processes)
 * for /health/ready, where that process serves it: its port, address and scheme read from its
 * own command line, environment, working folder and configuration file, as it read them.
 * Exit 0 when ready, 1 otherwise, with one line saying why (Docker keeps it with the state).
 */
const PROBE_TIMEOUT_MS = 4000;

interface Running { pid: number; command: string[]; env: NodeJS.ProcessEnv; cwd: string }

function running(pid: number): Running | undefined {
  try {
    const nulSeparated = (name: string) => readFileSync(`/proc/${pid}/${name}`, 'utf8').split('\0').filter(Boolean);
    const env = Object.fromEntries(nulSeparated('environ').map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
    return { pid, command: nulSeparated('cmdline'), env, cwd: readlinkSync(`/proc/${pid}/cwd`) };
  } catch {
    return undefined; // gone, or not ours to read
  }
}

/** The process's target, read from its working folder (relative configuration and certificate paths). */
function targetOf(proc: Running): ReturnType<typeof healthTarget> {
  process.chdir(proc.cwd);
  return healthTarget(proc.command, proc.env);
}

function find(): { ok: true; value: HealthTarget } | { ok: false; error: HealthTargetError } {
  const given = process.argv[2];
  if (given !== undefined) {
    const one = running(Number(given));
    return one ? targetOf(one) : { ok: false, error: { code: 'NOT_OURS', message: `no process ${given} to read` } };
  }
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => pid !== process.pid).sort((a, b) => a - b);
  for (const pid of pids) {
    const candidate = running(pid);
    const target = candidate && targetOf(candidate);
    if (target && !(target.ok === false && target.error.code === 'NOT_OURS')) return target;
  }
  return { ok: false, error: { code: 'NOT_OURS', message: 'no hub or adapter process in this container' } };
}

function probe(target: HealthTarget): Promise<string | undefined> {
  const own = target.ownCertificate && new X509Certificate(readFileSync(target.ownCertificate)).fingerprint256;
  const tls = target.client ? { key: readFileSync(target.client.key), cert: readFileSync(target.client.cert) } : {};
  return new Promise((resolve) => {
    const answered = (res: IncomingMessage) => {
      res.resume();
      // Any certificate is accepted for the connection; only the hub's own is taken as its answer.
      if (own && (res.socket as TLSSocket).getPeerCertificate().fingerprint256 !== own) resolve('it presented a certificate other than its own');
      else resolve(res.statusCode === 200 ? undefined : `it answered ${res.statusCode}`);
    };
    const req = own
      ? httpsGet(target.url, { rejectUnauthorized: false, timeout: PROBE_TIMEOUT_MS, ...tls }, answered)
      : httpGet(target.url, { timeout: PROBE_TIMEOUT_MS }, answered);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => resolve(err.message));
  });
}

const found = find();
if (!found.ok) {
  process.stdout.write(`not ready: ${found.error.message} (${found.error.code})\n`);
  process.exit(1);
}
const fault = await probe(found.value);
process.stdout.write(fault ? `not ready: ${found.value.url}: ${fault}\n` : `ready: ${found.value.url}\n`);
process.exit(fault ? 1 : 0);
