import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { MeshClient } from '../adapters/mesh-client/index.js';
import { makeAuthorization } from '../engine/mesh/auth-token.js';
import { attendanceXml, LA706, LA709, nationalPlanFile, nationalRecord, nhsNumbers, PASSWORDS, planFile as samplePlanFile, planRecord, SAMPLE_CONFIG, SHARED_KEY } from '../scripts/sample-exchange.js';
import { deleteMatching } from '../scripts/redis-keys.js';
import { freePort } from '../scripts/spawn-ready.js';
import { connectRedis } from '../engine/redis/connect.js';
import { redisFromEnv, singleRedis } from '../engine/redis/settings.js';
import { commandLine, type CpuSnapshot, parentPid } from './proc-stats.js';

export { cpuSnapshot, type CpuSnapshot, PeakRss, rssKb } from './proc-stats.js';
export { attendanceXml, nhsNumbers, PASSWORDS, SAMPLE_CONFIG, SHARED_KEY } from '../scripts/sample-exchange.js';

/**
 * What the CP-IS benchmarks (attendance-flow, plan-upload, soak) share: the sample
 * exchange, hub processes in either layout, an optional Redis of their own with
 * `appendfsync always`, key clean-up, /proc sampling, and cheap MESH calls over undici.
 */

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const HUB = 'X26HUB';
export const TRUST = 'RR8PAS';
export const LA = 'LA706CSC';
export const NATIONAL_LA = 'LA709CSC';
export const LA_ODS = '706';
export const V2 = 'application/vnd.mesh.v2+json';
export const REQUEST_TIMEOUT_MS = 10_000;

export type Layout = 'all' | 'split';
export type RedisMode = 'ci' | 'fsync';

export function positiveInteger(name: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, not "${raw}"`);
  return n;
}

export function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!allowed.includes(raw as T)) throw new Error(`--${name} must be one of ${allowed.join(', ')}, not "${raw}"`);
  return raw as T;
}

/**
 * The options every plan upload benchmark takes (--records, --chunk-mib, --layout, --redis,
 * --hub-node-options, --json), plus whole-number options of its own with their defaults.
 */
export function uploadBenchOptions<K extends string>(counts: Record<K, string>) {
  const own = Object.fromEntries(Object.entries(counts).map(([name, fallback]) => [name, { type: 'string' as const, default: fallback as string }]));
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '100000' },
      'chunk-mib': { type: 'string', default: '20' },
      layout: { type: 'string', default: 'all' },
      redis: { type: 'string', default: 'ci' },
      'hub-node-options': { type: 'string', default: '' },
      json: { type: 'boolean', default: false },
      ...own,
    },
  });
  const raw = values as unknown as Record<string, string>;
  return {
    records: positiveInteger('records', raw.records),
    chunkMib: positiveInteger('chunk-mib', raw['chunk-mib']),
    layout: oneOf('layout', raw.layout, ['all', 'split'] as const) as Layout,
    redis: oneOf('redis', raw.redis, ['ci', 'fsync'] as const) as RedisMode,
    hubNodeOptions: raw['hub-node-options'].split(' ').filter(Boolean),
    json: values.json === true,
    counts: Object.fromEntries(Object.keys(counts).map((name) => [name, positiveInteger(name, raw[name])])) as Record<K, number>,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function round(n: number, places = 2): number {
  return Number(n.toFixed(places));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface Summary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summary(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}



/** One plan update from LA 706 putting every child on a child protection plan. */
export function planFile(sequence: number, children: string[]): string {
  return samplePlanFile(LA706, sequence, children.map((nhs) => planRecord(nhs)));
}

/** The national upload (`File`) from LA 709 (`LA709CSC`, `format: dms`) putting every child on a child protection plan. */
export function nationalFile(fileId: string, children: string[]): string {
  return nationalPlanFile(LA709, fileId, children.map((nhs) => nationalRecord(nhs)));
}


export function meshClient(url: string, mailboxId: string, chunkSize?: number): MeshClient {
  return new MeshClient({ baseUrl: url, mailboxId, password: PASSWORDS[mailboxId], sharedKey: SHARED_KEY, chunkSize, retry: { attempts: 3, baseDelayMs: 200 } });
}

export function authorization(mailboxId: string): string {
  return makeAuthorization({ mailboxId, password: PASSWORDS[mailboxId], sharedKey: SHARED_KEY });
}

export function pool(url: string, connections: number): Pool {
  return new Pool(url, { connections, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
}

/** POST to the hub's outbox as the trust: returns the message id from the 202. */
export async function sendAttendance(http: Pool, xml: string, localId: string): Promise<string> {
  const response = await http.request({
    method: 'POST',
    path: `/messageexchange/${TRUST}/outbox`,
    headers: {
      accept: V2, authorization: authorization(TRUST), 'mex-to': HUB, 'mex-workflowid': 'CPIS_ATTENDANCE',
      'mex-localid': localId, 'content-type': 'application/xml',
    },
    body: xml,
  });
  if (response.statusCode !== 202) throw new Error(`send: HTTP ${response.statusCode} ${(await response.body.text()).slice(0, 200)}`);
  return ((await response.body.json()) as { message_id: string }).message_id;
}

// ---- processes ------------------------------------------------------------------------

export interface Child {
  child: ChildProcess;
  role: string;
}

const children = new Set<ChildProcess>();

/** Spawns a bench server script (bench/hub-process.ts, bench/null-hub.ts) and waits for the URL it reports over IPC. */
export function spawnServer(script: string, args: string[], name: string, env: NodeJS.ProcessEnv = process.env, nodeOptions: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env,
    // Its own process group: a Ctrl-C reaches the benchmark only, which stops the server in order.
    detached: true,
    // Per-message info logs go nowhere; warnings and errors stay visible.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the ${name} did not start within 30 s`)); }, 30_000);
    child.once('message', (message) => { clearTimeout(timer); resolve({ child, url: (message as { url: string }).url }); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the ${name} exited (${code}) before it started`)); });
  });
}

export function spawnHub(config: string, keyPrefix: string, role: 'all' | 'api' | 'worker', env: NodeJS.ProcessEnv, nodeOptions: string[]): Promise<{ child: ChildProcess; url: string }> {
  return spawnServer('bench/hub-process.ts', [config, keyPrefix, role], `${role} hub`, env, nodeOptions);
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 25_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Last resort on the way out (an uncaught error): nothing the benchmark started outlives it. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

export interface Hubs {
  url: string;
  processes: Child[];
  stop(): Promise<void>;
}

/** `all`: one process doing both; `split`: one `api` and one `worker` process. */
/** `redisUrl`: a Redis of the benchmark's own; otherwise the hubs find Redis as this process does, in the environment. */
export async function startHubs(layout: Layout, config: string, keyPrefix: string, redisUrl: string | undefined, nodeOptions: string[]): Promise<Hubs> {
  const env = redisUrl ? { ...process.env, REDIS_URL: redisUrl } : process.env;
  const processes: Child[] = [];
  const stop = async () => { await Promise.all(processes.map((p) => stopChild(p.child))); };
  try {
    if (layout === 'all') {
      const hub = await spawnHub(config, keyPrefix, 'all', env, nodeOptions);
      processes.push({ child: hub.child, role: 'all' });
      return { url: hub.url, processes, stop };
    }
    const worker = await spawnHub(config, keyPrefix, 'worker', env, nodeOptions);
    processes.push({ child: worker.child, role: 'worker' });
    const api = await spawnHub(config, keyPrefix, 'api', env, nodeOptions);
    processes.push({ child: api.child, role: 'api' });
    return { url: api.url, processes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface ConfigChanges {
  /** The workers' concurrency. */
  concurrency?: number;
  planUpdateMaxBytes?: number;
  /** Every query client's rate limit, per second and as its burst: a load generator is one client asking far above a real one's limit. */
  queryRate?: number;
}

/** The sample configuration, with the changes asked for (written to a temporary file). */
export function configFile(tmp: string, changes: ConfigChanges = {}): string {
  const { concurrency, planUpdateMaxBytes, queryRate } = changes;
  if (concurrency === undefined && planUpdateMaxBytes === undefined && queryRate === undefined) return SAMPLE_CONFIG;
  const raw = parseYaml(readFileSync(join(ROOT, SAMPLE_CONFIG), 'utf8')) as {
    cpis: Record<string, unknown>;
    workflows: { id: string; maxMessageBytes?: number }[];
    queryClients: { rateLimit?: { perSecond: number; burst: number } }[];
  };
  if (concurrency !== undefined) raw.cpis.concurrency = concurrency;
  if (planUpdateMaxBytes !== undefined) raw.workflows.find((w) => w.id === 'CPIS_PLAN_UPDATE')!.maxMessageBytes = planUpdateMaxBytes;
  if (queryRate !== undefined) for (const client of raw.queryClients) client.rateLimit = { perSecond: queryRate, burst: queryRate };
  const file = join(tmp, 'config.yaml');
  writeFileSync(file, stringifyYaml(raw));
  return file;
}

export interface OwnRedis {
  url: string;
  stop(): Promise<void>;
}

/** A Redis of our own as production runs it: every write fsynced before the answer. */
export function startFsyncRedis(tmp: string): Promise<OwnRedis> {
  return startOwnRedis(tmp, ['--appendonly', 'yes', '--appendfsync', 'always']);
}

/** A Redis of our own with nothing on disk, as the test Sentinel group's and Cluster's nodes run (test/support). */
export function startPlainRedis(tmp: string): Promise<OwnRedis> {
  return startOwnRedis(tmp, ['--appendonly', 'no']);
}

async function startOwnRedis(tmp: string, persistence: string[]): Promise<OwnRedis> {
  // A port the kernel has just found free: a random one may be another process's (an outgoing connection's, a cluster bus's).
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...persistence,
    '--dir', tmp, '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {}); // refused while redis-server starts: retried below
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (err) {
      if (i > 50 || child.exitCode !== null) { child.kill('SIGKILL'); throw new Error(`redis-server on ${port} did not start: ${(err as Error).message}`); }
      await sleep(100);
    }
  }
  probe.disconnect();
  return { url, stop: () => stopChild(child, 'SIGTERM', 5_000) };
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'cpis-bench-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function uniquePrefix(what: string): string {
  return `bench-${what}:${randomUUID().slice(0, 8)}:`;
}


// ---- observation ----------------------------------------------------------------------

export function metaKey(prefix: string, mailbox: string, id: string): string {
  return `${prefix}{mb:${mailbox}}:msg:${id}`;
}

/** A mailbox's inbox: the sorted set of the messages waiting in it. */
export function inboxKey(prefix: string, mailbox: string): string {
  return `${prefix}{mb:${mailbox}}:inbox`;
}

/** Reads one numeric field of many messages' meta hashes, pipelined. */
export async function readTimes(redis: Redis, keys: string[], field: string): Promise<(number | undefined)[]> {
  const out: (number | undefined)[] = [];
  for (let i = 0; i < keys.length; i += 2000) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + 2000)) pipeline.hget(key, field);
    for (const [err, value] of (await pipeline.exec()) ?? []) out.push(err || value === null ? undefined : Number(value));
  }
  return out;
}



export interface CpuFigures {
  /** Percent of one core, per hub process. */
  hubs: number[];
  bench: number;
  redis: number;
  machine: number;
  /** Machine minus hubs, bench and Redis: anything well above 0 means other work shared the machine. */
  others: number;
  cores: number;
}

export function cpuFigures(from: CpuSnapshot, to: CpuSnapshot): CpuFigures {
  const pct = (a: number, b: number) => round(((b - a) / (to.wall - from.wall)) * 100, 0);
  const hubs = from.hubs.map((h, i) => pct(h, to.hubs[i]));
  const bench = pct(from.bench, to.bench);
  const redis = pct(from.redis, to.redis);
  const machine = pct(from.machine, to.machine);
  return { hubs, bench, redis, machine, others: Math.max(0, machine - bench - redis - hubs.reduce((a, b) => a + b, 0)), cores: cpus().length };
}

/** Other benchmarks on the machine skew every figure: say so before starting. */
export function warnIfBusy(): void {
  const busy: string[] = [];
  // This benchmark's own launchers (npm run bench:…, tsx) are not another benchmark.
  const own = new Set<number>();
  for (let pid = process.pid; pid > 1 && !own.has(pid); pid = parentPid(pid)) own.add(pid);
  for (const pid of readdirPids()) {
    if (own.has(pid)) continue;
    const cmd = commandLine(pid);
    if (/mesh-roundtrip|npm run bench|bench\/[\w-]+\.ts/.test(cmd)) busy.push(`${pid} ${cmd.slice(0, 80)}`);
  }
  if (busy.length) process.stderr.write(`bench: WARNING another benchmark is running, figures will be skewed:\n  ${busy.join('\n  ')}\n`);
}

function readdirPids(): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

// ---- load -----------------------------------------------------------------------------

/** What a load run sent: message ids from the 202s, in order, and what went wrong. */
export interface Load {
  ids: string[];
  /** Time each 202 took, ms. */
  sendMs: number[];
  errors: number;
  firstErrors: string[];
  /** Open loop only: sends that could not start on time because too many were outstanding. */
  late: number;
}

export function newLoad(): Load {
  return { ids: [], sendMs: [], errors: 0, firstErrors: [], late: 0 };
}

function failed(load: Load, err: unknown): void {
  load.errors += 1;
  if (load.firstErrors.length < 5) load.firstErrors.push((err as Error).message);
}

/** Where a reply to an attendance is stored: its meta key, from the run's prefix and the attendance's message id. */
export type ReplyKey = (prefix: string, id: string) => string;

/** The access notification in the LA's inbox. */
export const notificationKey: ReplyKey = (prefix, id) => metaKey(prefix, LA, `${id}_N${LA_ODS}`);

/** The flag response in the trust's inbox: the attendance's answer, as a query's response is the query's. */
export const flagKey: ReplyKey = (prefix, id) => metaKey(prefix, TRUST, `${id}_FLAG`);

const ID_SLOT = 'ATTENDANCE-ID-SLOT';
const attendanceTemplates = new Map<string, string>();

/** Built once per child and the id swapped in: the load generator's CPU is not the hub's to share. */
function cachedAttendance(nhsNumber: string): string {
  let xml = attendanceTemplates.get(nhsNumber);
  if (xml === undefined) attendanceTemplates.set(nhsNumber, (xml = attendanceXml(nhsNumber, ID_SLOT)));
  return xml;
}

/** One attendance for child n (round robin over the flagged children). */
async function sendOne(http: Pool, load: Load, children: string[], tag: string, n: number): Promise<string | undefined> {
  const attendanceId = `ATT-${tag}-${n}`;
  const started = performance.now();
  try {
    const id = await sendAttendance(http, cachedAttendance(children[n % children.length]).replace(ID_SLOT, attendanceId), attendanceId);
    load.sendMs.push(performance.now() - started);
    load.ids.push(id);
    return id;
  } catch (err) {
    failed(load, err);
    return undefined;
  }
}

export interface Schedule {
  durationMs: number;
  shouldStop: () => boolean;
}

/**
 * Open loop: `fire(n)` at a fixed rate whatever the server does, on a 5 ms schedule
 * that catches up after a slow tick; at most `maxOutstanding` in flight. Returns how many
 * could not start on time because too many were outstanding (skipped).
 */
export async function openSchedule(opts: Schedule & { rate: number; maxOutstanding?: number }, fire: (n: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  const maxOutstanding = opts.maxOutstanding ?? 2000;
  const total = Math.floor((opts.rate * opts.durationMs) / 1000);
  let started = 0;
  let late = 0;
  let outstanding = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (started < total && !opts.shouldStop()) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * opts.rate) / 1000));
    while (started < due) {
      if (outstanding >= maxOutstanding) { late += due - started; started = due; break; }
      outstanding += 1;
      const p = fire(started).finally(() => { outstanding -= 1; inFlight.delete(p); });
      inFlight.add(p);
      started += 1;
    }
    await sleep(5);
  }
  await Promise.all(inFlight);
  return late;
}

/** Closed loop: `clients` each call `step(n)` and wait for it, back to back, until the time is up; n counts over all of them. */
export async function closedSchedule(opts: Schedule & { clients: number }, step: (n: number) => Promise<void>): Promise<void> {
  const deadline = performance.now() + opts.durationMs;
  let n = 0;
  const client = async () => {
    while (performance.now() < deadline && !opts.shouldStop()) await step(n++);
  };
  await Promise.all(Array.from({ length: opts.clients }, client));
}

/** Attendances at a fixed rate (openSchedule). */
export async function openLoop(http: Pool, load: Load, opts: Schedule & { rate: number; children: string[]; tag: string; maxOutstanding?: number }): Promise<void> {
  load.late += await openSchedule(opts, (n) => sendOne(http, load, opts.children, opts.tag, n));
}

/**
 * Closed loop: each of `senders` sends an attendance and waits until its notification is
 * in the LA's inbox before sending the next, so the backlog stays bounded and the rate is
 * what the whole flow sustains. One watcher checks every waiting notification each 5 ms.
 */
export async function closedLoop(http: Pool, redis: Redis, prefix: string, load: Load, opts: Schedule & { senders: number; children: string[]; tag: string }): Promise<void> {
  const waiting = new Map<string, () => void>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const ids = [...waiting.keys()];
      if (ids.length) {
        const pipeline = redis.pipeline();
        for (const id of ids) pipeline.exists(notificationKey(prefix, id));
        const results = (await pipeline.exec()) ?? [];
        results.forEach(([, exists], i) => {
          if (exists === 1) { waiting.get(ids[i])?.(); waiting.delete(ids[i]); }
        });
      }
      await sleep(5);
    }
  })();
  await closedSchedule({ clients: opts.senders, durationMs: opts.durationMs, shouldStop: opts.shouldStop }, async (n) => {
    const id = await sendOne(http, load, opts.children, opts.tag, n);
    if (id === undefined) { await sleep(50); return; }
    const done = new Promise<void>((resolve) => waiting.set(id, resolve));
    await Promise.race([done, sleep(REQUEST_TIMEOUT_MS * 3)]);
  });
  watching = false;
  await watcher;
}

/** Waits until every sent attendance has its notification, or the time runs out; returns how many are still missing. */
export async function waitProcessed(redis: Redis, prefix: string, ids: string[], timeoutMs: number, shouldStop: () => boolean): Promise<number> {
  let missing = ids;
  const deadline = performance.now() + timeoutMs;
  while (missing.length && performance.now() < deadline && !shouldStop()) {
    const still: string[] = [];
    for (let i = 0; i < missing.length; i += 2000) {
      const pipeline = redis.pipeline();
      const batch = missing.slice(i, i + 2000);
      for (const id of batch) pipeline.exists(notificationKey(prefix, id));
      ((await pipeline.exec()) ?? []).forEach(([, exists], j) => { if (exists !== 1) still.push(batch[j]); });
    }
    missing = still;
    if (missing.length) await sleep(200);
  }
  return missing.length;
}

export interface FlowFigures {
  /** Notifications accepted in the window, per second. */
  processedPerSecond: number;
  /** 202s in the window, per second. */
  acceptedPerSecond: number;
  /** Attendances accepted (202) in the window. */
  accepted: number;
  /** Attendances accepted in the window whose notification exists. */
  measured: number;
  unprocessed: number;
  latencyMs: Summary;
}

/**
 * Exact figures from the hub's own timestamps: the source message's `createdAt` (the
 * 202) and the reply's `acceptedAt` (the notification in the LA's inbox unless `reply`
 * says otherwise). Window [from, to) in epoch ms.
 */
export async function flowFigures(redis: Redis, prefix: string, ids: string[], from: number, to: number, reply: ReplyKey = notificationKey): Promise<FlowFigures> {
  const created = await readTimes(redis, ids.map((id) => metaKey(prefix, HUB, id)), 'createdAt');
  const notified = await readTimes(redis, ids.map((id) => reply(prefix, id)), 'acceptedAt');
  const latencies: number[] = [];
  let accepted = 0;
  let processed = 0;
  let unprocessed = 0;
  ids.forEach((_, i) => {
    const c = created[i];
    const n = notified[i];
    if (n !== undefined && n >= from && n < to) processed += 1;
    if (c === undefined || c < from || c >= to) return;
    accepted += 1;
    if (n === undefined) unprocessed += 1;
    else latencies.push(n - c);
  });
  const seconds = (to - from) / 1000;
  return {
    processedPerSecond: round(processed / seconds, 0),
    acceptedPerSecond: round(accepted / seconds, 0),
    accepted,
    measured: latencies.length,
    unprocessed,
    latencyMs: summary(latencies),
  };
}

// ---- set-up ---------------------------------------------------------------------------

/** Uploads a plan file as the LA (706 unless `mailbox` says otherwise) and waits for its acknowledgement; returns the ack's XML and timings. */
export async function uploadPlan(url: string, xml: string, opts: { chunkSize?: number; localId: string; timeoutMs: number; shouldStop?: () => boolean; mailbox?: string }) {
  const la = meshClient(url, opts.mailbox ?? LA, opts.chunkSize);
  const startedAt = Date.now();
  const started = performance.now();
  const id = await la.send({ to: HUB, workflowId: 'CPIS_PLAN_UPDATE', localId: opts.localId, fileName: `${opts.localId}.xml`, body: xml });
  const sentMs = performance.now() - started;
  const ackId = `${id}_ACK`;
  const deadline = performance.now() + opts.timeoutMs;
  for (;;) {
    let found = false;
    for await (const inboxId of la.inboxIds({ workflowFilter: 'CPIS_PLAN_UPDATE_ACK' })) if (inboxId === ackId) found = true;
    if (found) break;
    if (performance.now() > deadline || opts.shouldStop?.()) throw new Error(`no acknowledgement for plan file ${id} within ${opts.timeoutMs / 1000} s`);
    await sleep(100);
  }
  const seenMs = performance.now() - started;
  const ack = await la.download(ackId);
  await la.acknowledge(ackId);
  return { id, ackId, startedAt, sentMs, seenMs, doneMs: performance.now() - started, ack: ack.body.toString('utf8') };
}

export interface UploadPhases {
  /** Start of the send to the acknowledgement's `acceptedAt` in the LA's inbox (exact, from the hub's stamps). */
  sendToAckMs: number;
  /** The client's send returned. */
  uploadMs: number;
  /** The file complete in the hub's inbox. */
  fileCompleteMs: number;
  /** File complete to ack accepted: the hub's work. */
  processingMs: number;
  ackSeenByPollMs: number;
  /** Start of the send to the acknowledgement downloaded and acknowledged: start to ack as the LA sees it. */
  ackDownloadedMs: number;
  ack: string;
}

/** One upload timed from the start of its send to its acknowledgement, with the hub's own stamps for the phases between. */
export async function timedUpload(redis: Redis, prefix: string, url: string, xml: string, opts: Parameters<typeof uploadPlan>[2]): Promise<UploadPhases> {
  const upload = await uploadPlan(url, xml, opts);
  const [sourceAccepted] = await readTimes(redis, [metaKey(prefix, HUB, upload.id)], 'acceptedAt');
  const [ackAccepted] = await readTimes(redis, [metaKey(prefix, opts.mailbox ?? LA, upload.ackId)], 'acceptedAt');
  return {
    sendToAckMs: ackAccepted ? ackAccepted - upload.startedAt : NaN,
    uploadMs: Math.round(upload.sentMs),
    fileCompleteMs: sourceAccepted ? sourceAccepted - upload.startedAt : NaN,
    processingMs: ackAccepted && sourceAccepted ? ackAccepted - sourceAccepted : NaN,
    ackSeenByPollMs: Math.round(upload.seenMs),
    ackDownloadedMs: Math.round(upload.doneMs),
    ack: upload.ack,
  };
}

/** Puts `count` children on CPP plans with LA 706, so every attendance for them is flagged. */
export async function preloadChildren(url: string, count: number, shouldStop: () => boolean): Promise<string[]> {
  const children = nhsNumbers(count, 800_000_000);
  const { ack } = await uploadPlan(url, planFile(1, children), { localId: `preload-${randomUUID().slice(0, 8)}`, timeoutMs: 120_000, shouldStop });
  if (!ack.includes('CPF02')) throw new Error(`the preload plan file was not fully loaded: ${ack.slice(0, 300)}`);
  return children;
}

/** A client polling one mailbox as a real one would: list, download and acknowledge each, a few at a time. */
export class Drainer {
  drained = 0;
  errors = 0;
  firstErrors: string[] = [];
  private running = true;
  private readonly done: Promise<void>;

  constructor(private readonly http: Pool, private readonly mailbox: string, private readonly parallel = 8) {
    this.done = this.loop();
  }

  private async call(method: 'GET' | 'PUT', path: string): Promise<Buffer> {
    const response = await this.http.request({ method, path, headers: { accept: V2, authorization: authorization(this.mailbox) } });
    const body = Buffer.from(await response.body.arrayBuffer());
    if (response.statusCode !== 200) throw new Error(`${method} ${path}: HTTP ${response.statusCode} ${body.toString('utf8', 0, 200)}`);
    return body;
  }

  private async loop(): Promise<void> {
    const base = `/messageexchange/${this.mailbox}/inbox`;
    while (this.running) {
      let ids: string[] = [];
      try {
        ids = (JSON.parse((await this.call('GET', `${base}?max_results=500`)).toString('utf8')) as { messages: string[] }).messages;
      } catch (err) {
        this.failed(err);
      }
      if (ids.length === 0) { await sleep(250); continue; }
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++];
          try {
            await this.call('GET', `${base}/${id}`);
            await this.call('PUT', `${base}/${id}/status/acknowledged`);
            this.drained += 1;
          } catch (err) {
            this.failed(err);
          }
        }
      };
      await Promise.all(Array.from({ length: this.parallel }, worker));
    }
  }

  private failed(err: unknown): void {
    this.errors += 1;
    if (this.firstErrors.length < 3) this.firstErrors.push((err as Error).message);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

export async function redisUsedMb(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return round(Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1024 / 1024, 1);
}

export interface BenchSetup {
  layout: Layout;
  redis: RedisMode;
  /** Writes the hub configuration into the run's temp folder and returns its path. */
  config: (tmp: string) => string;
  hubNodeOptions: string[];
}

export interface BenchRun {
  hubs: Hubs;
  redis: Redis;
  prefix: string;
  interrupted(): boolean;
  hubExited(): boolean;
  shouldStop(): boolean;
}

/**
 * Starts what a CP-IS benchmark measures (its own fsync Redis when asked, the hub
 * processes, a unique key prefix), runs `body`, then gives everything back whatever
 * happened: hubs stopped, the run's keys deleted, the temp folder removed. Exits with
 * the body's status; 2, with every child killed, when the run could not start.
 */
export function runBench(name: string, setup: BenchSetup, body: (run: BenchRun) => Promise<number>): void {
  let interrupted = false;
  let hubExited = false;
  process.once('SIGINT', () => { interrupted = true; });
  const main = async () => {
    const tmp = tempDir();
    const prefix = uniquePrefix(name);
    let own: OwnRedis | undefined;
    let hubs: Hubs | undefined;
    let redis: Redis | undefined;
    try {
      own = setup.redis === 'fsync' ? await startFsyncRedis(tmp.path) : undefined;
      redis = connectRedis(own ? singleRedis(own.url) : redisFromEnv());
      hubs = await startHubs(setup.layout, setup.config(tmp.path), prefix, own?.url, setup.hubNodeOptions);
      for (const p of hubs.processes) p.child.once('exit', () => { hubExited = true; });
      return await body({
        hubs, redis, prefix,
        interrupted: () => interrupted,
        hubExited: () => hubExited,
        shouldStop: () => interrupted || hubExited,
      });
    } finally {
      await hubs?.stop();
      if (redis) {
        if (!own) await deleteMatching(redis, `${prefix}*`);
        redis.disconnect();
      }
      await own?.stop();
      tmp.remove();
    }
  };
  exitWith(main());
}

/** Exits with the run's status, or 2 with every child killed when it threw. */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => process.exit(code),
    (err: Error) => {
      killChildren();
      process.stderr.write(`bench: ${err.message}\n`);
      process.exit(2);
    },
  );
}
