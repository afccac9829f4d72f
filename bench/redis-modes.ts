import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { connectRedis } from '../engine/redis/connect.js';
import { redisFromEnv } from '../engine/redis/settings.js';
import { deleteMatching } from '../scripts/redis-keys.js';
import {
  closedLoop, exitWith, flagKey, flowFigures, inboxKey, LA, newLoad, nhsNumbers, openLoop, openSchedule, planFile, pool,
  positiveInteger, preloadChildren, round, SAMPLE_CONFIG, sleep, spawnHub, spawnServer, stopChild, summary, tempDir, timedUpload, TRUST,
  uniquePrefix, waitProcessed, warnIfBusy, type Summary,
} from './cpis-support.js';
import { client, MESH_CONFIG, meshPool, newRun, pairs, roundTrip } from './mesh-load.js';
import { machineBusyMs, processCpuMs } from './proc-stats.js';
import {
  idleRate, type IdleRate, opCost, type OpCost, type RedisCounters, RedisMeter, startTopology, type Topology, topologyEnv, type TopologyKind,
} from './redis-topology.js';

/**
 * `npm run bench:ha -- [options]`: in one run, the same loads against a single Redis, a
 * Sentinel group with `replicaAcks: 1` and a 3-master Cluster (replicaAcks 0 and 1), each
 * started here as real redis-server processes with nothing on disk, plus the null hub for
 * the machine's ceiling. For each mode:
 *
 * - MESH round trips/s: `--clients` closed-loop clients each sending 2 KB, listing the
 *   recipient's inbox, downloading and acknowledging (config/mesh-sandbox.yaml);
 * - attendances/s end to end: `--senders` closed-loop senders each waiting for the access
 *   notification in the LA's inbox (the flag response to the trust is sent before it, and
 *   every flag is checked afterwards), over `--children` children put on plans first;
 * - Redis cost per operation, each at a fixed, light rate so that nothing else is asked of
 *   Redis: a MESH round trip and an attendance (`--rate`/s for `--cost-seconds`), and a plan
 *   upload record (one `--records`-record file). The masters' CPU (INFO cpu, user + sys) and
 *   commands (INFO commandstats, INFO itself left out) over the phase, less the topology's
 *   idle rate measured just before on the same hub, divided by the operations.
 *
 * Then the national sizing those costs give (see NATIONAL below and docs/BENCHMARKS.md).
 *
 *   --modes single,sentinel,cluster,cluster-acks1   which modes, in this order
 *   --clients N (16)  --senders N (64)  --warmup N (3)  --seconds N (12)
 *   --rate N (25)  --cost-seconds N (10)  --records N (10000)  --children N (1000)
 *   --json            also one JSON line with every figure
 */

const MODES = {
  single: { topology: 'single', acks: 0, label: 'single Redis' },
  sentinel: { topology: 'sentinel', acks: 1, label: 'Sentinel, replicaAcks 1' },
  cluster: { topology: 'cluster', acks: 0, label: 'Cluster 3 masters, acks 0' },
  'cluster-acks1': { topology: 'cluster', acks: 1, label: 'Cluster 3 masters, acks 1' },
} as const satisfies Record<string, { topology: TopologyKind; acks: number; label: string }>;

type ModeName = keyof typeof MODES;

/**
 * The national load, as inputs (docs/BENCHMARKS.md gives their sources): England's
 * unscheduled-care attendances of children a year, the share of a day's attendances in the
 * peak hour, and the records of a full national upload (one per active plan), all sent in one hour.
 */
const NATIONAL = {
  childAttendancesPerYear: 6_000_000,
  peakHourShare: 0.09,
  uploadRecords: 400_000,
  uploadHours: 1,
  /** Redis is single-threaded: a master is sized to use at most this share of one core. */
  safeUtilisation: 0.5,
};

interface Options {
  modes: ModeName[];
  clients: number;
  senders: number;
  warmup: number;
  seconds: number;
  rate: number;
  costSeconds: number;
  records: number;
  children: number;
  json: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      modes: { type: 'string', default: Object.keys(MODES).join(',') },
      clients: { type: 'string', default: '16' },
      senders: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '12' },
      rate: { type: 'string', default: '25' },
      'cost-seconds': { type: 'string', default: '10' },
      records: { type: 'string', default: '10000' },
      children: { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
    },
  });
  const modes = values.modes.split(',').map((m) => m.trim());
  const unknown = modes.filter((m) => !(m in MODES));
  if (unknown.length) throw new Error(`--modes: ${unknown.join(', ')} unknown; the modes are ${Object.keys(MODES).join(', ')}`);
  return {
    modes: modes as ModeName[],
    clients: positiveInteger('clients', values.clients),
    senders: positiveInteger('senders', values.senders),
    warmup: positiveInteger('warmup', values.warmup, 0),
    seconds: positiveInteger('seconds', values.seconds),
    rate: positiveInteger('rate', values.rate),
    costSeconds: positiveInteger('cost-seconds', values['cost-seconds']),
    records: positiveInteger('records', values.records),
    children: positiveInteger('children', values.children),
    json: values.json,
  };
}

// ---- CPU over a window ----------------------------------------------------------------

interface Window {
  wall: number;
  machine: number;
  hub: number;
  bench: number;
  redis?: RedisCounters;
}

async function windowNow(meter: RedisMeter | undefined, hubPid: number): Promise<Window> {
  const bench = process.cpuUsage();
  return { wall: performance.now(), machine: machineBusyMs(), hub: processCpuMs(hubPid), bench: (bench.user + bench.system) / 1000, redis: await meter?.read() };
}

/** Percent of one core: the hub, the Redis masters, the replicas, and the rest of the machine (other work, the sentinels, the kernel). */
interface Shares {
  hub: number;
  redisMasters: number;
  redisReplicas: number;
  others: number;
}

function shares(from: Window, to: Window): Shares {
  const pct = (ms: number) => round((ms / (to.wall - from.wall)) * 100, 0);
  const masters = to.redis && from.redis ? to.redis.masterCpuMs - from.redis.masterCpuMs : 0;
  const replicas = to.redis && from.redis ? to.redis.replicaCpuMs - from.redis.replicaCpuMs : 0;
  const hub = to.hub - from.hub;
  const others = to.machine - from.machine - hub - (to.bench - from.bench) - masters - replicas;
  return { hub: pct(hub), redisMasters: pct(masters), redisReplicas: pct(replicas), others: Math.max(0, pct(others)) };
}

// ---- phases ----------------------------------------------------------------------------

interface Throughput {
  perSecond: number;
  latencyMs: Summary;
  errors: number;
  firstErrors: string[];
  cpu: Shares;
}

interface Cost extends OpCost {
  errors: number;
}

interface Target {
  url: string;
  hubPid: number;
  meter?: RedisMeter;
  shouldStop: () => boolean;
}

/** Closed-loop MESH round trips (send, list, download, acknowledge) for the warm-up and the measured seconds. */
async function meshThroughput(options: Options, target: Target): Promise<Throughput> {
  const http = meshPool(target.url, options.clients);
  const start = performance.now();
  const run = newRun({ measureFrom: start + options.warmup * 1000, deadline: start + (options.warmup + options.seconds) * 1000, list: true });
  const watch = setInterval(() => { run.stopped ||= target.shouldStop(); }, 100);
  let from: Promise<Window> | undefined;
  const mark = setTimeout(() => { from = windowNow(target.meter, target.hubPid); }, options.warmup * 1000);
  const routes = pairs();
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(http, run, ...routes[i % routes.length])));
  const to = await windowNow(target.meter, target.hubPid);
  clearInterval(watch);
  clearTimeout(mark);
  await http.close();
  if (!from) throw new Error('stopped before the warm-up ended');
  return {
    perSecond: round(run.roundTrips.length / ((to.wall - run.measureFrom) / 1000), 0),
    latencyMs: summary(run.roundTrips), errors: run.errors, firstErrors: run.firstErrors, cpu: shares(await from, to),
  };
}

/** What the topology costs with the hub connected and idle, per second. */
async function idle(meter: RedisMeter, seconds = 5): Promise<IdleRate> {
  await sleep(1000); // the previous phase's stragglers (replies, GC, acknowledgements) settle first
  const from = await meter.read();
  await sleep(seconds * 1000);
  return idleRate(from, await meter.read());
}

async function meshCost(options: Options, target: Target & { meter: RedisMeter }, idleRate_: IdleRate): Promise<Cost> {
  const http = meshPool(target.url, 32);
  const run = newRun({ measureFrom: 0, deadline: Infinity, list: true });
  const routes = pairs();
  const from = await target.meter.read();
  await openSchedule({ rate: options.rate, durationMs: options.costSeconds * 1000, shouldStop: target.shouldStop }, (n) => roundTrip(http, run, ...routes[n % routes.length]));
  const to = await target.meter.read();
  await http.close();
  return { ...opCost(from, to, idleRate_, run.roundTrips.length), errors: run.errors };
}

interface CpisTarget extends Target {
  meter: RedisMeter;
  redis: Redis;
  prefix: string;
  children: string[];
}

/** Closed-loop attendances (attendance-flow's), then a check that every one also has its flag response. */
async function attendanceThroughput(options: Options, target: CpisTarget): Promise<Throughput> {
  const { redis, prefix } = target;
  const http = pool(target.url, options.senders);
  const load = newLoad();
  const measureFrom = Date.now() + options.warmup * 1000;
  let from: Promise<Window> | undefined;
  const mark = setTimeout(() => { from = windowNow(target.meter, target.hubPid); }, options.warmup * 1000);
  await closedLoop(http, redis, prefix, load, {
    senders: options.senders, durationMs: (options.warmup + options.seconds) * 1000, children: target.children, tag: prefix.split(':')[1], shouldStop: target.shouldStop,
  });
  const measureTo = Date.now();
  const to = await windowNow(target.meter, target.hubPid);
  clearTimeout(mark);
  await http.close();
  if (!from) throw new Error('stopped before the warm-up ended');
  const unprocessed = await waitProcessed(redis, prefix, load.ids, 60_000, target.shouldStop);
  const noFlag = await missing(redis, load.ids.map((id) => flagKey(prefix, id)));
  const flow = await flowFigures(redis, prefix, load.ids, measureFrom, measureTo);
  const firstErrors = [...load.firstErrors];
  if (unprocessed) firstErrors.push(`${unprocessed} attendances without their notification after 60 s`);
  if (noFlag) firstErrors.push(`${noFlag} attendances without their flag response`);
  return { perSecond: flow.processedPerSecond, latencyMs: flow.latencyMs, errors: load.errors + unprocessed + noFlag, firstErrors, cpu: shares(await from, to) };
}

/** Keys that do not exist, pipelined a batch at a time (every key of a call shares one mailbox's slot). */
async function missing(redis: Redis, keys: string[]): Promise<number> {
  let count = 0;
  for (let i = 0; i < keys.length; i += 2000) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 2000)) pipeline.exists(key);
    for (const [err, exists] of (await pipeline.exec()) ?? []) if (err || exists !== 1) count += 1;
  }
  return count;
}

/**
 * Attendances at `--rate`/s. Done when the trust's and the LA's inboxes hold a reply for
 * every one: two ZCARDs every 50 ms, where waiting on each attendance's keys would cost
 * Redis as much as the attendances themselves.
 */
async function attendanceCost(options: Options, target: CpisTarget, idleRate_: IdleRate): Promise<Cost> {
  const { redis, prefix } = target;
  const inboxes = () => Promise.all([redis.zcard(inboxKey(prefix, TRUST)), redis.zcard(inboxKey(prefix, LA))]);
  const [trustBefore, laBefore] = await inboxes();
  const http = pool(target.url, 256);
  const load = newLoad();
  const from = await target.meter.read();
  await openLoop(http, load, { rate: options.rate, durationMs: options.costSeconds * 1000, children: target.children, tag: `${prefix.split(':')[1]}c`, shouldStop: target.shouldStop });
  const deadline = performance.now() + 60_000;
  for (;;) {
    const [trust, la] = await inboxes();
    if ((trust - trustBefore >= load.ids.length && la - laBefore >= load.ids.length) || performance.now() > deadline || target.shouldStop()) break;
    await sleep(50);
  }
  const to = await target.meter.read();
  await http.close();
  const unprocessed = await waitProcessed(redis, prefix, load.ids, 30_000, target.shouldStop);
  return { ...opCost(from, to, idleRate_, load.ids.length), errors: load.errors + unprocessed };
}

/** One plan update of `--records` children new to the register, sent with the MESH client; cost per record. */
async function uploadCost(options: Options, target: CpisTarget, idleRate_: IdleRate): Promise<Cost> {
  const xml = planFile(2, nhsNumbers(options.records, 700_000_000));
  const from = await target.meter.read();
  const upload = await timedUpload(target.redis, target.prefix, target.url, xml, { localId: `ha-${target.prefix.split(':')[1]}`, timeoutMs: 300_000, shouldStop: target.shouldStop });
  const to = await target.meter.read();
  const loaded = (upload.ack.match(/CPR06/g) ?? []).length;
  const complete = upload.ack.includes('CPF02') && loaded === options.records;
  return { ...opCost(from, to, idleRate_, options.records), errors: complete ? 0 : options.records - loaded || 1 };
}

// ---- one mode ---------------------------------------------------------------------------

/** A figure, or why there is none. */
type Outcome<T> = { ok: T } | { error: string };

/** One figure of a phase that may have failed as a whole. */
function part<R extends Record<K, Outcome<unknown>>, K extends keyof R>(o: Outcome<R>, key: K): R[K] | { error: string } {
  return 'ok' in o ? o.ok[key] : o;
}

async function outcome<T>(what: string, step: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await step() };
  } catch (err) {
    const message = `${what}: ${(err as Error).message}`;
    process.stderr.write(`bench: ${message}\n`);
    return { error: message };
  }
}

interface ModeFigures {
  mode: ModeName | 'null';
  label: string;
  mesh: Outcome<Throughput>;
  attendances?: Outcome<Throughput>;
  idle?: { mesh: Outcome<IdleRate>; cpis: Outcome<IdleRate> };
  cost?: { roundTrip: Outcome<Cost>; attendance: Outcome<Cost>; uploadRecord: Outcome<Cost> };
}

interface Stop {
  interrupted(): boolean;
}

/** A hub on the topology, torn down with its keys whatever happens in `body`; `body` is told when the hub dies. */
async function withHub<T>(config: string, name: string, env: NodeJS.ProcessEnv, redis: Redis, stop: Stop, body: (hub: { url: string; pid: number; prefix: string; shouldStop: () => boolean }) => Promise<T>): Promise<T> {
  const prefix = uniquePrefix(name);
  const hub = await spawnHub(config, prefix, 'all', env, []);
  let exited = false;
  hub.child.once('exit', () => { exited = true; });
  try {
    const result = await body({ url: hub.url, pid: hub.child.pid!, prefix, shouldStop: () => exited || stop.interrupted() });
    if (exited) throw new Error(`the ${name} hub exited (${hub.child.exitCode ?? hub.child.signalCode}) during the run`);
    return result;
  } finally {
    await stopChild(hub.child);
    await deleteMatching(redis, `${prefix}*`);
  }
}

async function measureMode(mode: ModeName, topology: Topology, options: Options, stop: Stop): Promise<ModeFigures> {
  const { acks, label } = MODES[mode];
  const env = topologyEnv(topology, acks);
  const redis = connectRedis(redisFromEnv(env));
  const meter = await RedisMeter.open(topology);
  console.log(`-- ${label}`);
  try {
    const mesh = await outcome('MESH hub', () => withHub(MESH_CONFIG, 'ha-mesh', env, redis, stop, async (hub) => {
      const target = { url: hub.url, hubPid: hub.pid, meter, shouldStop: hub.shouldStop };
      const throughput = await outcome('MESH round trips', () => meshThroughput(options, target));
      const idleMesh = await outcome('idle', () => idle(meter));
      const cost = 'ok' in idleMesh ? await outcome('MESH cost', () => meshCost(options, target, idleMesh.ok)) : idleMesh;
      return { throughput, idle: idleMesh, cost };
    }));
    const cpis = await outcome('CP-IS hub', () => withHub(SAMPLE_CONFIG, 'ha-cpis', env, redis, stop, async (hub) => {
      const children = await preloadChildren(hub.url, options.children, hub.shouldStop);
      const target: CpisTarget = { url: hub.url, hubPid: hub.pid, meter, redis, prefix: hub.prefix, children, shouldStop: hub.shouldStop };
      const throughput = await outcome('attendances', () => attendanceThroughput(options, target));
      const idleCpis = await outcome('idle', () => idle(meter));
      if (!('ok' in idleCpis)) return { throughput, idle: idleCpis, attendance: idleCpis, upload: idleCpis };
      const attendance = await outcome('attendance cost', () => attendanceCost(options, target, idleCpis.ok));
      const upload = await outcome('plan upload cost', () => uploadCost(options, target, idleCpis.ok));
      return { throughput, idle: idleCpis, attendance, upload };
    }));
    return {
      mode, label,
      mesh: part(mesh, 'throughput'),
      attendances: part(cpis, 'throughput'),
      idle: { mesh: part(mesh, 'idle'), cpis: part(cpis, 'idle') },
      cost: { roundTrip: part(mesh, 'cost'), attendance: part(cpis, 'attendance'), uploadRecord: part(cpis, 'upload') },
    };
  } finally {
    meter.close();
    redis.disconnect();
  }
}

async function nullHub(options: Options, stop: Stop): Promise<ModeFigures> {
  console.log('-- null hub');
  const started = await spawnServer('bench/null-hub.ts', [], 'null hub', { ...process.env, PORT: '0' });
  try {
    const mesh = await outcome('null hub', () => meshThroughput(options, { url: started.url, hubPid: started.child.pid!, shouldStop: stop.interrupted }));
    return { mode: 'null', label: 'null hub (no Redis)', mesh };
  } finally {
    await stopChild(started.child);
  }
}

// ---- report -----------------------------------------------------------------------------

const value = <T>(o: Outcome<T> | undefined): T | undefined => (o && 'ok' in o ? o.ok : undefined);

function ratio(x: number | undefined, base: number | undefined): string {
  return x === undefined || !base ? '' : `${round(x / base)}×`;
}

function printThroughput(rows: ModeFigures[]): void {
  const base = rows.find((r) => r.mode === 'single');
  const baseMesh = value(base?.mesh)?.perSecond;
  const baseAtt = value(base?.attendances)?.perSecond;
  const header = ['mode', 'MESH rt/s', '× single', 'rt p50/p99 ms', 'attendances/s', '× single', 'att p50/p99 ms', 'Redis % (M+R) mesh / att', 'hub %', 'others %', 'errors'];
  const table = rows.map((r) => {
    const m = value(r.mesh);
    const a = value(r.attendances);
    const redisPct = (t: Throughput | undefined) => (t ? `${t.cpu.redisMasters}+${t.cpu.redisReplicas}` : '-');
    return [
      r.label,
      m ? String(m.perSecond) : 'failed', ratio(m?.perSecond, baseMesh), m ? `${m.latencyMs.p50} / ${m.latencyMs.p99}` : '',
      r.attendances ? (a ? String(a.perSecond) : 'failed') : 'n/a', ratio(a?.perSecond, baseAtt), a ? `${a.latencyMs.p50} / ${a.latencyMs.p99}` : '',
      r.mode === 'null' ? '-' : `${redisPct(m)} / ${redisPct(a)}`,
      [m, a].map((t) => (t ? t.cpu.hub : '-')).join(' / '),
      [m, a].map((t) => (t ? t.cpu.others : '-')).join(' / '),
      String((m?.errors ?? 0) + (a?.errors ?? 0)),
    ];
  });
  printTable(header, table);
}

const ms = (n: number) => round(n, 3);

function printCosts(rows: ModeFigures[]): void {
  const header = ['mode', 'round trip: Redis ms / cmds / replicas ms', 'attendance: ms / cmds / replicas ms', 'upload record: ms / cmds / replicas ms', 'idle (mesh, cpis hub): ms/s, cmds/s'];
  const cell = (o: Outcome<Cost>) => {
    const c = value(o);
    return c ? `${ms(c.masterCpuMs)} / ${round(c.commands, 1)} / ${ms(c.replicaCpuMs)}${c.errors ? ` (${c.errors} errors)` : ''}` : 'failed';
  };
  const idleCell = (o: Outcome<IdleRate>) => { const i = value(o); return i ? `${round(i.masterCpuMs, 1)}, ${round(i.commands, 0)}` : 'failed'; };
  const table = rows.filter((r) => r.cost).map((r) => [r.label, cell(r.cost!.roundTrip), cell(r.cost!.attendance), cell(r.cost!.uploadRecord), `${idleCell(r.idle!.mesh)}; ${idleCell(r.idle!.cpis)}`]);
  printTable(header, table);
}

interface Sizing {
  mode: string;
  attendancesPerSecond: number;
  uploadRecordsPerSecond: number;
  /** Redis CPU ms each second of the national peak needs, summed over masters, idle included. */
  redisMsPerSecond: number;
  masters: number;
  /** How many times the national peak the masters carry at the safe utilisation. */
  headroom: number;
}

/**
 * Every attendance also has its two replies collected over MESH (the flag by the trust, the
 * notification by the LA): a list, a download and an acknowledgement each, counted here as two
 * whole round trips (which also count a send that collecting does not make).
 */
function sizing(row: ModeFigures): Sizing | undefined {
  const att = value(row.cost?.attendance);
  const rt = value(row.cost?.roundTrip);
  const rec = value(row.cost?.uploadRecord);
  const idleCpis = value(row.idle?.cpis);
  if (!att || !rt || !rec || !idleCpis) return undefined;
  const attendancesPerSecond = (NATIONAL.childAttendancesPerYear / 365) * NATIONAL.peakHourShare / 3600;
  const uploadRecordsPerSecond = NATIONAL.uploadRecords / (NATIONAL.uploadHours * 3600);
  const load = attendancesPerSecond * (att.masterCpuMs + 2 * rt.masterCpuMs) + uploadRecordsPerSecond * rec.masterCpuMs;
  const perMaster = NATIONAL.safeUtilisation * 1000;
  const masters = Math.max(1, Math.ceil((load + idleCpis.masterCpuMs) / perMaster));
  return {
    mode: row.label, attendancesPerSecond: round(attendancesPerSecond, 3), uploadRecordsPerSecond: round(uploadRecordsPerSecond, 1),
    redisMsPerSecond: round(load + idleCpis.masterCpuMs, 1), masters, headroom: round((masters * perMaster - idleCpis.masterCpuMs) / load, 0),
  };
}

function printSizing(rows: ModeFigures[]): Sizing[] {
  const sized = rows.map(sizing).filter((s): s is Sizing => s !== undefined);
  if (!sized.length) return sized;
  const s0 = sized[0];
  console.log(`national peak (computed from the costs above): ${s0.attendancesPerSecond} child attendances/s (${NATIONAL.childAttendancesPerYear.toLocaleString('en-GB')}/year, `
    + `${NATIONAL.peakHourShare * 100}% of a day in the peak hour), each with two replies collected; ${s0.uploadRecordsPerSecond} upload records/s `
    + `(${NATIONAL.uploadRecords.toLocaleString('en-GB')} in ${NATIONAL.uploadHours} h); a master at most ${NATIONAL.safeUtilisation * 100}% of one core`);
  printTable(['mode', 'Redis CPU ms/s needed (idle included)', 'masters', 'headroom × peak'],
    sized.map((s) => [s.mode, String(s.redisMsPerSecond), String(s.masters), String(s.headroom)]));
  return sized;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

function printErrors(rows: ModeFigures[]): void {
  for (const r of rows) {
    const outcomes: [string, Outcome<unknown> | undefined][] = [
      ['MESH', r.mesh], ['attendances', r.attendances], ['round trip cost', r.cost?.roundTrip], ['attendance cost', r.cost?.attendance], ['upload cost', r.cost?.uploadRecord],
    ];
    for (const [what, o] of outcomes) if (o && 'error' in o) console.log(`  ${r.label}, ${what}: ${o.error}`);
    for (const t of [value(r.mesh), value(r.attendances)]) for (const e of t?.firstErrors ?? []) console.log(`  ${r.label}: ${e}`);
  }
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

// ---- main -------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = parseOptions();
  warnIfBusy();
  let interrupted = false;
  process.once('SIGINT', () => { interrupted = true; });
  const stop: Stop = { interrupted: () => interrupted };
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg();
  console.log(`redis modes: ${startedAt}, ${cpus().length} cores, load average ${loadBefore}`);
  const tmp = tempDir();
  const rows: ModeFigures[] = [await nullHub(options, stop)];
  try {
    // Both Cluster modes share one cluster, their hubs one after the other.
    const kinds = [...new Set(options.modes.map((m) => MODES[m].topology))];
    for (const kind of kinds) {
      if (interrupted) break;
      const topology = await outcome(`starting the ${kind} topology`, () => startTopology(kind, tmp.path));
      const modes = options.modes.filter((m) => MODES[m].topology === kind);
      if (!('ok' in topology)) {
        rows.push(...modes.map((mode): ModeFigures => ({ mode, label: MODES[mode].label, mesh: topology })));
        continue;
      }
      try {
        for (const mode of modes) if (!interrupted) rows.push(await measureMode(mode, topology.ok, options, stop));
      } finally {
        await topology.ok.stop();
      }
    }
  } finally {
    tmp.remove();
  }
  const loadAfter = loadavg();
  console.log(`\nredis modes: ${options.clients} MESH clients, ${options.senders} attendance senders, ${options.warmup} s warm-up, ${options.seconds} s measured; `
    + `costs at ${options.rate}/s for ${options.costSeconds} s and one ${options.records}-record upload; load average before ${loadBefore}, after ${loadAfter}`);
  printThroughput(rows);
  console.log('\nRedis cost per operation (CPU ms, user + sys, summed over the masters; commands on the masters; replicas\' CPU ms), less the idle rate:');
  printCosts(rows);
  console.log('');
  const sized = printSizing(rows);
  printErrors(rows);
  if (options.json) console.log(JSON.stringify({ startedAt, loadBefore, loadAfter, options, national: NATIONAL, rows, sizing: sized }));
  if (interrupted) return 130;
  const failed = rows.some((r) => [r.mesh, r.attendances, r.cost?.roundTrip, r.cost?.attendance, r.cost?.uploadRecord].some((o) => o && (!('ok' in o) || (o.ok as { errors: number }).errors > 0)));
  return failed ? 1 : 0;
}

exitWith(main());
