import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { checkRedis as checkHubRedis, connectRedis } from '../engine/redis/connect.js';
import { redisFromEnv } from '../engine/redis/settings.js';
import { deleteMatching } from './redis-keys.js';
import { freePort, spawnReady, type ReadyProcess } from './spawn-ready.js';

/**
 * `npm run demo`: the hub and the three sample adapters with the sample configuration, in a
 * temporary folder and under a Redis key prefix of their own. Two LAs upload a plan for the
 * same child, one in our dialect and one in the national documents; a trust reports an
 * attendance for that child, and the demo shows what arrives where, then stops everything
 * and deletes its Redis keys.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The hub the demo starts inherits the environment, so it finds the same Redis. */
const REDIS = redisFromEnv();
const EXAMPLES = join(ROOT, 'schemas/examples');
const WAIT_MS = 30_000;

const say = (text: string) => process.stdout.write(`${text}\n`);

/** The sample adapters: a trust, an LA on our own dialect and an LA whose system speaks the national documents. */
const ADAPTERS = [
  { kind: 'pas', sample: 'pas', title: 'PAS adapter (trust RR8)' },
  { kind: 'la', sample: 'la', title: 'LA adapter (Leeds, 706, our own dialect)' },
  { kind: 'la', sample: 'la-national', title: 'LA adapter (Bradford, 709, the national CP-IS documents)' },
] as const;

async function main(): Promise<void> {
  await checkRedis();
  const dir = mkdtempSync(join(tmpdir(), 'cpisx-demo-'));
  const prefix = `demo:${randomUUID().slice(0, 8)}:`;
  const running: ReadyProcess[] = [];
  const stopAll = async () => {
    for (const p of running.reverse()) await p.stop();
    keepLogs(running);
    await deleteKeysOf(prefix);
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    say(`Working folder: ${dir}`);
    const port = await freePort();
    running.push(await spawnReady({
      script: join(ROOT, 'engine/main.ts'),
      args: ['--config', join(ROOT, 'config/sample.yaml')],
      env: { PORT: String(port), HOST: '127.0.0.1', REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'info' },
      ready: 'hub listening',
    }));
    say(`Hub listening on http://127.0.0.1:${port} (config/sample.yaml)`);
    // Started together, so the demo waits for the slowest only; each one that started is stopped at the end.
    const started = await Promise.allSettled(ADAPTERS.map(async (a) => {
      const file = await adapterConfig(a.sample, dir, port);
      const p = await spawnReady({
        script: join(ROOT, 'adapters/cli/cpisx.ts'),
        args: ['adapter', a.kind, '--config', file],
        cwd: dir,
        env: { LOG_LEVEL: 'info' },
        ready: 'adapter running',
      });
      say(`${a.title} running with ${file}`);
      return p;
    }));
    for (const s of started) if (s.status === 'fulfilled') running.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    await scenario(dir);
  } catch (err) {
    for (const p of running) say(`\n--- last output of ${p.child.spawnargs.slice(3).join(' ')}\n${tail(p.output())}`);
    throw err;
  } finally {
    await stopAll();
    say('\nStopped the hub and the adapters; the demo\'s Redis keys are deleted. Its folders stay for you to read.');
  }
}

async function scenario(dir: string): Promise<void> {
  say('\n1. Leeds City Council drops a plan update file (two children on plans) into var/la/plans/,');
  say('   and Bradford\'s system drops a national upload (File, DMS 1.0 RC5) for one of the same children into var/la-national/plans/');
  drop(join(EXAMPLES, 'plan-update/valid/new-plans.xml'), join(dir, 'var/la/plans'), 'plans-0001.xml');
  drop(join(EXAMPLES, 'dms/upload/valid/one-child-cpp.xml'), join(dir, 'var/la-national/plans'), 'bradford-1042.xml');
  const acks = await Promise.all(['var/la/plans/sent', 'var/la-national/plans/sent'].map((f) => waitForFile(join(dir, f), (n) => n.endsWith('.ack.xml'))));
  show('Leeds\'s acknowledgement, written beside the sent file', acks[0]);
  show('Bradford\'s FileResponse, written beside the sent file', acks[1]);

  say('2. The trust\'s PAS drops an attendance for the child both LAs hold into var/pas/attendances/');
  drop(join(EXAMPLES, 'attendance/valid/emergency-department.xml'), join(dir, 'var/pas/attendances'), 'attendance-0042.xml');
  show('The flag response delivered to the PAS (both LAs\' plans)', await waitForFile(join(dir, 'var/pas/responses'), (f) => f.endsWith('.xml')));
  const notices = await Promise.all(['var/la/notifications', 'var/la-national/notifications'].map((f) => waitForFile(join(dir, f), (n) => n.endsWith('.xml'))));
  show('The access notification delivered to Leeds', notices[0]);
  show('The national access notification delivered to Bradford', notices[1]);

  say('3. The PAS drops two attendances that cannot be acted on: one the schema refuses (no clinician\'s name),');
  say('   which the adapter keeps without sending, and one whose NHS number fails its check digit, which the hub');
  say('   holds for support staff and reports back; each ends in var/pas/attendances/rejected/ with its reason beside it');
  const rejected = join(dir, 'var/pas/attendances/rejected');
  drop(join(EXAMPLES, 'attendance/invalid/clinician-without-name.xml'), join(dir, 'var/pas/attendances'), 'attendance-0043.xml');
  drop(join(EXAMPLES, 'attendance/valid/nhs-number-fails-check-digit.xml'), join(dir, 'var/pas/attendances'), 'attendance-0044.xml');
  for (const name of ['attendance-0043.xml', 'attendance-0044.xml']) {
    show(`Why ${name} was rejected`, await waitForFile(rejected, (f) => f.startsWith(name) && f.endsWith('.error.txt')));
  }
}

/** The sample adapter configuration, pointed at this hub and this folder. */
async function adapterConfig(sample: string, dir: string, hubPort: number): Promise<string> {
  const cfg = parseYaml(readFileSync(join(ROOT, `config/${sample}.yaml`), 'utf8'));
  cfg.mesh.url = `http://127.0.0.1:${hubPort}`;
  if (cfg.responses) cfg.responses.poll = 1;
  else cfg.poll = 1;
  if (cfg.sources?.hl7?.mllp) cfg.sources.hl7.mllp.port = await freePort();
  const file = join(dir, `${sample}.yaml`);
  writeFileSync(file, stringifyYaml(cfg));
  return file;
}

/** With DEMO_LOG_DIR set, each process's log lines are kept there (the test reads them for patient data). */
function keepLogs(processes: ReadyProcess[]): void {
  const dir = process.env.DEMO_LOG_DIR;
  if (!dir) return;
  processes.forEach((p, i) => writeFileSync(join(dir, `process-${i}.log`), p.output()));
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Written under a temporary name, then renamed: the way a PAS should drop files (the adapters made the folders). */
function drop(from: string, folder: string, name: string): void {
  copyFileSync(from, join(folder, `.${name}.tmp`));
  renameSync(join(folder, `.${name}.tmp`), join(folder, name));
}

async function waitForFile(folder: string, match: (name: string) => boolean): Promise<string> {
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    const found = existsSync(folder) ? readdirSync(folder).find((f) => !f.startsWith('.') && match(f)) : undefined;
    if (found) return join(folder, found);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing arrived in ${folder} within ${WAIT_MS / 1000} s; see the adapters' output above`);
}

function show(title: string, file: string): void {
  say(`\n--- ${title}: ${file}\n${readFileSync(file, 'utf8').trim()}\n`);
}

async function deleteKeysOf(prefix: string): Promise<void> {
  const redis = connectRedis(REDIS);
  try {
    await deleteMatching(redis, `${prefix}*`);
  } finally {
    redis.disconnect();
  }
}

/** Before anything starts, so a Redis that is down is one line saying what to do. */
async function checkRedis(): Promise<void> {
  const redis = connectRedis(REDIS);
  try {
    await checkHubRedis(redis, REDIS);
  } catch (err) {
    throw new Error(`${(err as Error).message}; start Redis (docker compose up -d redis) or set REDIS_URL`);
  } finally {
    redis.disconnect();
  }
}


main().catch((err: Error) => {
  process.stderr.write(`demo failed: ${err.message}\n`);
  process.exit(1);
});
