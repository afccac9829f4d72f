import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { connectRedis } from '../engine/redis/connect.js';
import { redisFromEnv } from '../engine/redis/settings.js';
import { deleteMatching } from '../scripts/redis-keys.js';
import { freePort } from '../scripts/spawn-ready.js';
import { cpuSnapshot, PeakRss, type CpuSnapshot } from './proc-stats.js';
import { client, MESH_CONFIG, meshPool, newRun, type Operation, pairs, type Run } from './mesh-load.js';

/**
 * `npm run bench`: MESH round trips (send 2 KB, download, acknowledge) from N
 * concurrent clients against a hub in a child process, or against --url.
 * See docs/BENCHMARKS.md.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = MESH_CONFIG;
/** `npm run bench` does not list the inbox: its round trip is send, download, acknowledge. */
const OPERATIONS = ['send', 'download', 'acknowledge'] as const satisfies readonly Operation[];

interface Options {
  clients: number;
  seconds: number;
  warmup: number;
  url?: string;
  json: boolean;
  hubNodeOptions: string[];
  main?: Main;
}

/**
 * The hub's own entry point instead of bench/hub-process.ts: `npm start` (engine/main.ts
 * under tsx) or `npm run start:prod` (dist/engine/main.js, after `npm run build`), with the
 * node flags that script gives, so the figures are those of what production runs.
 */
type Main = 'tsx' | 'compiled';
const START_PROD = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'];
const MAIN_ARGS: Record<Main, string[]> = { tsx: ['--import', 'tsx', 'engine/main.ts'], compiled: START_PROD.split(/\s+/).slice(1) };

interface Figures {
  date: string;
  clients: number;
  seconds: number;
  roundTrips: number;
  roundTripsPerSecond: number;
  roundTripMs: { p50: number; p99: number };
  operationMs: Record<(typeof OPERATIONS)[number], { p50: number; p99: number }>;
  errors: number;
  hubPeakRssMb: number | null;
  hubCpuPercent: number | null;
  /** Hub CPU time over round trips. It falls as load rises (more work per event-loop turn), so compare it at equal load. */
  hubCpuMsPerRoundTrip: number | null;
  benchCpuPercent: number;
  redisCpuPercent: number;
  /** Busy time of every core, as percent of one: above hub + bench + Redis means other work shared the machine. */
  machineCpuPercent: number;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      url: { type: 'string' },
      json: { type: 'boolean', default: false },
      'hub-node-options': { type: 'string', default: '' },
      main: { type: 'string' },
    },
  });
  if (values.url) assertLoopback(values.url);
  if (values.main !== undefined && !(values.main in MAIN_ARGS)) throw new Error(`--main must be tsx or compiled, not "${values.main}"`);
  return {
    clients: positiveInteger('clients', values.clients),
    seconds: positiveInteger('seconds', values.seconds),
    warmup: positiveInteger('warmup', values.warmup, 0),
    url: values.url,
    json: values.json,
    hubNodeOptions: values['hub-node-options'].split(' ').filter(Boolean),
    main: values.main as Main | undefined,
  };
}

function positiveInteger(name: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, not "${raw}"`);
  return n;
}

/** The benchmark sends public test credentials as fast as it can: never to another machine. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(host)) throw new Error(`--url must be a loopback address, not ${host}`);
}

/** Spawns the hub and waits for the URL it listens on, which it reports over IPC. */
function startHub(keyPrefix: string, nodeOptions: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnHub([...nodeOptions, '--import', 'tsx', 'bench/hub-process.ts', CONFIG, keyPrefix], {});
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the hub did not start within 20 s'));
    }, 20_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve({ child, url: (message as { url: string }).url });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited (${code}) before it listened`));
    });
  });
}

function spawnHub(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // Its own process group, so a Ctrl-C reaches the benchmark only, which then stops the hub in order.
    detached: true,
    // Per-request info logs go nowhere, as cheaply as to a log pipe; warnings and errors stay visible.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** The hub through its own entry point, on 127.0.0.1 and a free port, ready once /health/ready says so. */
async function startMain(main: Main, keyPrefix: string, nodeOptions: string[]): Promise<{ child: ChildProcess; url: string }> {
  const url = `http://127.0.0.1:${await freePort()}`;
  const child = spawnHub([...nodeOptions, ...MAIN_ARGS[main]], {
    CPIS_CONFIG: CONFIG, HOST: '127.0.0.1', PORT: new URL(url).port, REDIS_KEY_PREFIX: keyPrefix, HUB_PROCESSES: '1', HUB_ROLE: 'all',
  });
  const deadline = Date.now() + 30_000;
  while (child.exitCode === null && Date.now() < deadline) {
    if (await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the hub (${MAIN_ARGS[main].join(' ')}) did not become ready within 30 s`);
}

async function stopHub(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}


/** The one hub's CPU as `hub`, beside the others. */
type Parties = Omit<CpuSnapshot, 'hubs'> & { hub: number };
const parties = (s: CpuSnapshot): Parties => ({ ...s, hub: s.hubs[0] ?? NaN });

const hubPids = (target: { hubPid?: number }) => (target.hubPid ? [target.hubPid] : []);

function cpuPercent(from: Parties, to: Parties, party: keyof Parties): number {
  return round(((to[party] - from[party]) / (to.wall - from.wall)) * 100, 0);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
}

function round(n: number, places = 2): number {
  return Number(n.toFixed(places));
}

/** What the run needs from its surroundings: where the hub is, what to watch, when to give up. */
interface Target {
  url: string;
  hubPid?: number;
  redis: Redis;
  shouldStop: () => boolean;
}

interface Measurement {
  run: Run;
  figures: Figures;
}

/** Runs the clients; undefined when the run was stopped before the warm-up ended. */
async function measure(options: Options, target: Target): Promise<Measurement | undefined> {
  const pool = meshPool(target.url, options.clients);
  const rss = target.hubPid ? new PeakRss([target.hubPid]) : undefined;
  const start = performance.now();
  const run = newRun({ measureFrom: start + options.warmup * 1000, deadline: start + (options.warmup + options.seconds) * 1000, list: false });
  const watch = setInterval(() => { run.stopped ||= target.shouldStop(); }, 100);
  let cpuFrom: Promise<CpuSnapshot> | undefined;
  const mark = setTimeout(() => { cpuFrom = cpuSnapshot(target.redis, hubPids(target)); }, options.warmup * 1000);
  const routes = pairs();
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(pool, run, ...routes[i % routes.length])));
  const cpuTo = await cpuSnapshot(target.redis, hubPids(target));
  clearInterval(watch);
  clearTimeout(mark);
  rss?.stop();
  await pool.close();
  return cpuFrom && { run, figures: figuresOf(options, run, parties(await cpuFrom), parties(cpuTo), rss && (rss.peakKb.get(target.hubPid!) ?? 0)) };
}

function figuresOf(options: Options, run: Run, cpuFrom: Parties, cpuTo: Parties, rss: number | undefined): Figures {
  const seconds = (cpuTo.wall - run.measureFrom) / 1000;
  return {
    date: new Date().toISOString(),
    clients: options.clients,
    seconds: round(seconds),
    roundTrips: run.roundTrips.length,
    roundTripsPerSecond: round(run.roundTrips.length / seconds, 0),
    roundTripMs: summary(run.roundTrips),
    operationMs: Object.fromEntries(OPERATIONS.map((op) => [op, summary(run.operations[op])])) as Figures['operationMs'],
    errors: run.errors,
    hubPeakRssMb: rss !== undefined ? round(rss / 1024, 1) : null,
    hubCpuPercent: rss !== undefined ? cpuPercent(cpuFrom, cpuTo, 'hub') : null,
    hubCpuMsPerRoundTrip: rss !== undefined && run.roundTrips.length ? round((cpuTo.hub - cpuFrom.hub) / run.roundTrips.length, 3) : null,
    benchCpuPercent: cpuPercent(cpuFrom, cpuTo, 'bench'),
    redisCpuPercent: cpuPercent(cpuFrom, cpuTo, 'redis'),
    machineCpuPercent: cpuPercent(cpuFrom, cpuTo, 'machine'),
  };
}

/** A figure, or n/a when there is none: no hub of ours (--url), no round trip, or a hub that died. */
function shown(value: number | null, unit: string): string {
  return value === null || Number.isNaN(value) ? 'n/a' : `${value}${unit}`;
}

function print(figures: Figures, run: Run, json: boolean): void {
  const line = (label: string, value: string) => console.log(`${label.padEnd(16)}${value}`);
  const ms = (s: { p50: number; p99: number }) => `p50 ${shown(s.p50, ' ms')}   p99 ${shown(s.p99, ' ms')}`;
  console.log(`${figures.clients} clients, ${figures.seconds} s measured, 2 KB messages`);
  line('round trips/s', String(figures.roundTripsPerSecond));
  line('round trip', ms(figures.roundTripMs));
  for (const op of OPERATIONS) line(op, ms(figures.operationMs[op]));
  line('errors', String(figures.errors));
  line('hub peak RSS', shown(figures.hubPeakRssMb, ' MB'));
  line('hub CPU', `${shown(figures.hubCpuMsPerRoundTrip, ' ms')} per round trip`);
  line('CPU % of a core', `hub ${shown(figures.hubCpuPercent, '')}, bench ${figures.benchCpuPercent}, Redis ${figures.redisCpuPercent}, ` +
    `whole machine ${figures.machineCpuPercent} of ${cpus().length * 100}`);
  for (const message of run.firstErrors) console.log(`  error: ${message}`);
  if (json) console.log(JSON.stringify(figures));
}

async function main(): Promise<number> {
  const options = parseOptions();
  let interrupted = false;
  let hubExited = false;
  process.once('SIGINT', () => { interrupted = true; });
  const keyPrefix = `bench:${randomUUID().slice(0, 8)}:`;
  const redis = connectRedis(redisFromEnv());
  const hub = options.url ? undefined
    : options.main ? await startMain(options.main, keyPrefix, options.hubNodeOptions)
      : await startHub(keyPrefix, options.hubNodeOptions);
  hub?.child.once('exit', () => { hubExited = true; });
  let measurement: Measurement | undefined;
  let hubDied = false;
  try {
    measurement = await measure(options, {
      url: options.url ?? hub!.url,
      hubPid: hub?.child.pid,
      redis,
      shouldStop: () => interrupted || hubExited,
    });
    hubDied = hubExited; // read before the hub is stopped on purpose below
  } finally {
    // Cleaned up before anything is printed, so a closed stdout (`| head`) cannot leave the hub's keys behind.
    if (hub) {
      await stopHub(hub.child);
      await deleteMatching(redis, `${keyPrefix}*`);
    }
    redis.disconnect();
  }
  if (measurement) print(measurement.figures, measurement.run, options.json);
  else process.stderr.write('bench: stopped before the warm-up ended; nothing was measured\n');
  if (hubDied) process.stderr.write('bench: the hub exited during the run\n');
  if (interrupted) return 130;
  return !measurement || measurement.figures.errors > 0 || hubDied ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench: ${err.message}\n`);
    process.exit(2);
  },
);
