import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import type { Pool } from 'undici';
import {
  closedLoop, closedSchedule, configFile, type CpuFigures, cpuFigures, cpuSnapshot, flagKey, type FlowFigures, flowFigures, HUB, inboxKey, type Layout, newLoad,
  oneOf, openLoop, openSchedule, pool, positiveInteger, preloadChildren, type RedisMode, round, runBench, sleep, spawnServer, stopChild, type Summary, summary,
  waitProcessed, warnIfBusy,
} from './cpis-support.js';

/**
 * `npm run bench:query -- [options]`: the point-of-care CareTeam query (issue 11) against
 * the attendance flow, in one run against one hub in a child process, then the same
 * queries against bench/null-hub.ts for the machine's ceiling.
 *
 *   --clients N            closed loops: queries (or attendances) in flight (16)
 *   --rate N               open loops: queries (or attendances) per second (200)
 *   --seconds N --warmup N each phase's measured window and the warm-up before it (20, 3)
 *   --redis fsync|ci       our own Redis with appendfsync always, or the one at REDIS_URL (fsync)
 *   --layout all|split     one `--role all` hub, or an `api` and a `worker` (all)
 *   --children N           children put on plans first; every query and attendance is for one of them (1000)
 *   --concurrency N        the workers' concurrency (config/sample.yaml's when absent)
 *   --hub-node-options S   e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   --json                 also print the figures as one JSON line
 *
 * Every query is unscheduled (no IsUnscheduledAccessEvent header) with its own
 * X-Request-ID, for a flagged child: each records the view and orders one notification,
 * which the hub's workers deliver to LA706CSC while the run goes on.
 */

interface Options {
  clients: number;
  rate: number;
  seconds: number;
  warmup: number;
  redis: RedisMode;
  layout: Layout;
  children: number;
  concurrency?: number;
  hubNodeOptions: string[];
  json: boolean;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      clients: { type: 'string', default: '16' },
      rate: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      redis: { type: 'string', default: 'fsync' },
      layout: { type: 'string', default: 'all' },
      children: { type: 'string', default: '1000' },
      concurrency: { type: 'string' },
      'hub-node-options': { type: 'string', default: '' },
      json: { type: 'boolean', default: false },
    },
  });
  return {
    clients: positiveInteger('clients', values.clients),
    rate: positiveInteger('rate', values.rate),
    seconds: positiveInteger('seconds', values.seconds),
    warmup: positiveInteger('warmup', values.warmup, 0),
    redis: oneOf('redis', values.redis, ['ci', 'fsync'] as const),
    layout: oneOf('layout', values.layout, ['all', 'split'] as const),
    children: positiveInteger('children', values.children),
    concurrency: values.concurrency === undefined ? undefined : positiveInteger('concurrency', values.concurrency),
    hubNodeOptions: values['hub-node-options'].split(' ').filter(Boolean),
    json: values.json,
  };
}

/** The sample's emergency department client, and the user it states on every query. */
const CLIENT = { id: 'rr8-ed', secret: 'rr8-ed-secret' };
const USER = { 'x-user-name': 'Dr Sam Patel', 'x-user-role': 'Emergency Medicine Consultant', 'x-user-id': '555000000999' };
/** Far above any load this machine can make: the bench measures the query, not the limiter. */
const QUERY_RATE = 100_000;

async function queryToken(http: Pool): Promise<string> {
  const response = await http.request({
    method: 'POST',
    path: '/cpis/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret }).toString(),
  });
  const body = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`token endpoint: HTTP ${response.statusCode}`);
  return (JSON.parse(body) as { access_token: string }).access_token;
}

/** What one query phase saw: each query's start and round trip (performance.now() ms), and what went wrong. */
interface QueryLoad {
  startedAt: number[];
  ms: number[];
  answerBytes: number;
  errors: number;
  firstErrors: string[];
  late: number;
}

/** One CareTeam search, timed from the request's start to the whole answer read; a flagged child must have a plan in it. */
async function careTeam(http: Pool, token: string, load: QueryLoad, nhsNumber: string, requestId: string): Promise<void> {
  const started = performance.now();
  try {
    const response = await http.request({
      method: 'GET',
      path: `/cpis/FHIR/R4/CareTeam?patient:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`)}`,
      headers: { authorization: `Bearer ${token}`, ...USER, 'x-request-id': requestId },
    });
    const text = await response.body.text();
    const ms = performance.now() - started;
    const answer = JSON.parse(text) as { resourceType?: string; total?: number; issue?: { code?: string }[] };
    // Status and codes only: an OperationOutcome's diagnostics may name the person.
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode} ${answer.issue?.[0]?.code ?? ''}`);
    if (answer.resourceType !== 'Bundle' || !answer.total) throw new Error(`a ${answer.resourceType} with ${answer.total} entries for a flagged child`);
    load.startedAt.push(started);
    load.ms.push(ms);
    load.answerBytes = Buffer.byteLength(text);
  } catch (err) {
    load.errors += 1;
    if (load.firstErrors.length < 5) load.firstErrors.push((err as Error).message);
  }
}

/** The hub's own inbox, sampled: attendances waiting, and the notification orders queries and attendances leave. */
class Backlog {
  max = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly redis: Redis, private readonly key: string) {
    this.timer = setInterval(() => { void this.sample(); }, 250);
  }

  async sample(): Promise<number> {
    const n = await this.redis.zcard(this.key);
    this.max = Math.max(this.max, n);
    return n;
  }

  /** Stops sampling and waits for the hub to empty its inbox: the backlog at the end and the seconds it took to drain. */
  async drain(timeoutMs: number, shouldStop: () => boolean): Promise<{ max: number; end: number; drainSeconds: number; left: number }> {
    clearInterval(this.timer);
    const end = await this.sample();
    const started = performance.now();
    let left = end;
    while (left > 0 && performance.now() - started < timeoutMs && !shouldStop()) {
      await sleep(100);
      left = await this.redis.zcard(this.key);
    }
    return { max: this.max, end, drainSeconds: round((performance.now() - started) / 1000, 1), left };
  }
}

interface PhaseFigures {
  name: string;
  /** Queries answered, or attendances (closed: notified; open: accepted), per second of the measured window. */
  perSecond: number;
  /** Query: request start to the whole answer. Attendance: the hub's 202 to the flag in the trust's inbox. */
  latencyMs: Summary;
  /** Attendance: the hub's 202 to the notification in the LA's inbox. */
  notificationMs?: Summary;
  count: number;
  errors: number;
  late: number;
  unanswered: number;
  cpuPercent: CpuFigures;
  backlog?: Awaited<ReturnType<Backlog['drain']>>;
  answerBytes?: number;
  firstErrors: string[];
}

interface Target {
  url: string;
  pids: number[];
  redis: Redis;
  prefix: string;
  shouldStop: () => boolean;
}

/** Unique to the run and the phase, and a valid attendance id part (no white space). */
function tagOf(target: Target, phase: string): string {
  return `${target.prefix.split(':')[1]}-${phase.replace(/\s+/g, '-')}`;
}

class Phases {
  constructor(private readonly options: Options) {}

  private get durationMs(): number {
    return (this.options.warmup + this.options.seconds) * 1000;
  }

  /** CPU over the measured window: a snapshot when the warm-up ends, another when `drive` returns. */
  private async measureCpu(target: Target, drive: () => Promise<void>): Promise<CpuFigures> {
    let from: ReturnType<typeof cpuSnapshot> | undefined;
    const timer = setTimeout(() => { from = cpuSnapshot(target.redis, target.pids); }, this.options.warmup * 1000);
    await drive();
    const to = await cpuSnapshot(target.redis, target.pids);
    clearTimeout(timer);
    return cpuFigures(await (from ?? cpuSnapshot(target.redis, target.pids)), to);
  }

  async query(target: Target, name: string, mode: 'closed' | 'open', children: string[], backlog?: Backlog): Promise<PhaseFigures> {
    const { clients, rate, warmup, seconds } = this.options;
    const http = pool(target.url, mode === 'closed' ? clients : 256);
    const token = await queryToken(http);
    const load: QueryLoad = { startedAt: [], ms: [], answerBytes: 0, errors: 0, firstErrors: [], late: 0 };
    const tag = tagOf(target, name);
    const ask = (n: number) => careTeam(http, token, load, children[n % children.length], `q-${tag}-${n}`);
    const schedule = { durationMs: this.durationMs, shouldStop: target.shouldStop };
    const from = performance.now() + warmup * 1000;
    const to = from + seconds * 1000;
    const cpu = await this.measureCpu(target, async () => {
      if (mode === 'closed') await closedSchedule({ ...schedule, clients }, ask);
      else load.late = await openSchedule({ ...schedule, rate }, ask);
    });
    await http.close();
    const inWindow = load.ms.filter((_, i) => load.startedAt[i] >= from && load.startedAt[i] < to);
    return {
      name, perSecond: round(inWindow.length / seconds, 0), latencyMs: summary(inWindow), count: inWindow.length,
      errors: load.errors, late: load.late, unanswered: 0, cpuPercent: cpu,
      backlog: await backlog?.drain(120_000, target.shouldStop), answerBytes: load.answerBytes, firstErrors: load.firstErrors,
    };
  }

  async attendance(target: Target, name: string, mode: 'closed' | 'open', children: string[], backlog: Backlog): Promise<PhaseFigures> {
    const { clients, rate, warmup } = this.options;
    const { redis, prefix, shouldStop } = target;
    const http = pool(target.url, mode === 'closed' ? clients : 256);
    const load = newLoad();
    const tag = tagOf(target, name);
    const measureFrom = Date.now() + warmup * 1000;
    let measureTo = 0;
    const opts = { durationMs: this.durationMs, children, tag, shouldStop };
    const cpu = await this.measureCpu(target, async () => {
      if (mode === 'closed') await closedLoop(http, redis, prefix, load, { ...opts, senders: clients });
      else await openLoop(http, load, { ...opts, rate });
      measureTo = Date.now();
      await waitProcessed(redis, prefix, load.ids, 60_000, shouldStop);
    });
    await http.close();
    const flag: FlowFigures = await flowFigures(redis, prefix, load.ids, measureFrom, measureTo, flagKey);
    const notified = await flowFigures(redis, prefix, load.ids, measureFrom, measureTo);
    return {
      // Closed: the rate the whole flow sustains; open: the rate sent, the backlog finishing after the window.
      name, perSecond: mode === 'closed' ? notified.processedPerSecond : notified.acceptedPerSecond, latencyMs: flag.latencyMs, notificationMs: notified.latencyMs, count: flag.accepted,
      errors: load.errors, late: load.late, unanswered: flag.unprocessed + notified.unprocessed, cpuPercent: cpu,
      backlog: await backlog.drain(120_000, shouldStop), firstErrors: load.firstErrors,
    };
  }
}

function print(options: Options, phases: PhaseFigures[], json: boolean): void {
  console.log(`CP-IS query against attendances: Redis ${options.redis === 'fsync' ? 'appendfsync always' : 'as on CI'}, layout ${options.layout}, ${options.clients} clients closed loop, ${options.rate}/s open loop, ${options.seconds} s measured each, ${options.children} flagged children`);
  for (const p of phases) {
    const c = p.cpuPercent;
    const l = p.latencyMs;
    console.log(`${p.name.padEnd(26)}${String(p.perSecond).padStart(6)}/s   p50 ${l.p50}  p95 ${l.p95}  p99 ${l.p99}  max ${l.max} ms   (${p.count})`);
    if (p.notificationMs) console.log(`${''.padEnd(26)}  to notification: p50 ${p.notificationMs.p50}  p95 ${p.notificationMs.p95}  p99 ${p.notificationMs.p99}  max ${p.notificationMs.max} ms`);
    if (p.backlog) console.log(`${''.padEnd(26)}  hub inbox: max ${p.backlog.max}, ${p.backlog.end} at the end, drained in ${p.backlog.drainSeconds} s${p.backlog.left ? ` (${p.backlog.left} left)` : ''}`);
    console.log(`${''.padEnd(26)}  CPU % of a core: server ${c.hubs.join('+')}, bench ${c.bench}, Redis ${c.redis}, machine ${c.machine} of ${c.cores * 100} (others ${c.others})`
      + `${p.errors || p.late || p.unanswered ? `   errors ${p.errors} late ${p.late} unanswered ${p.unanswered}` : ''}`);
    for (const message of p.firstErrors) console.log(`  error: ${message}`);
  }
  const byName = new Map(phases.map((p) => [p.name, p]));
  const ratio = (a: string, b: string, f: (p: PhaseFigures) => number) => {
    const x = byName.get(a);
    const y = byName.get(b);
    return x && y ? round(f(x) / f(y), 2) : NaN;
  };
  console.log(`ratios: query/null-hub closed ${ratio('query closed', 'null-hub closed', (p) => p.perSecond)} (throughput), open p99 ${ratio('query open', 'null-hub open', (p) => p.latencyMs.p99)}×;`
    + ` query/attendance closed ${ratio('query closed', 'attendance closed', (p) => p.perSecond)} (throughput), open p99 ${ratio('query open', 'attendance open', (p) => p.latencyMs.p99)}× (attendance to its flag)`);
  const open = byName.get('query open');
  if (open) console.log(`target p99 under 50 ms at ${options.rate}/s: ${open.latencyMs.p99 < 50 ? 'met' : 'NOT met'} (${open.latencyMs.p99} ms)`);
  if (json) console.log(JSON.stringify({ date: new Date().toISOString(), options, phases }));
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  warnIfBusy();
  const phases = new Phases(options);
  const config = (tmp: string) => configFile(tmp, { concurrency: options.concurrency, queryRate: QUERY_RATE });
  runBench('query', { layout: options.layout, redis: options.redis, config, hubNodeOptions: options.hubNodeOptions }, async (run) => {
    const { hubs, redis, prefix, shouldStop } = run;
    const children = await preloadChildren(hubs.url, options.children, shouldStop);
    const hub: Target = { url: hubs.url, pids: hubs.processes.map((p) => p.child.pid!), redis, prefix, shouldStop };
    const backlog = () => new Backlog(redis, inboxKey(prefix, HUB));
    const figures: PhaseFigures[] = [];
    figures.push(await phases.query(hub, 'query closed', 'closed', children, backlog()));
    figures.push(await phases.query(hub, 'query open', 'open', children, backlog()));
    figures.push(await phases.attendance(hub, 'attendance closed', 'closed', children, backlog()));
    figures.push(await phases.attendance(hub, 'attendance open', 'open', children, backlog()));
    let nullHub: ChildProcess | undefined;
    try {
      const started = await spawnServer('bench/null-hub.ts', [], 'null hub', { ...process.env, PORT: '0' });
      nullHub = started.child;
      const target: Target = { ...hub, url: started.url, pids: [nullHub.pid!] };
      figures.push(await phases.query(target, 'null-hub closed', 'closed', children));
      figures.push(await phases.query(target, 'null-hub open', 'open', children));
    } finally {
      if (nullHub) await stopChild(nullHub, 'SIGTERM', 5_000);
    }
    print(options, figures, options.json);
    if (run.hubExited()) process.stderr.write('bench: a hub process exited during the run\n');
    if (run.interrupted()) return 130;
    return figures.some((p) => p.errors > 0 || p.unanswered > 0 || (p.backlog?.left ?? 0) > 0) || run.hubExited() ? 1 : 0;
  });
}

main();
