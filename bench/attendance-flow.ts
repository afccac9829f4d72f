import { parseArgs } from 'node:util';
import {
  closedLoop, configFile, type CpuFigures, cpuFigures, cpuSnapshot, type FlowFigures, flowFigures, type Layout, newLoad, oneOf, openLoop, PeakRss, pool, positiveInteger, preloadChildren, type RedisMode, round, runBench, summary, waitProcessed, warnIfBusy,
} from './cpis-support.js';

/**
 * `npm run bench:cpis -- [options]`: CP-IS attendances end to end, from the hub's 202
 * to the access notification in the LA's inbox, against hubs in child processes.
 *
 *   --layout all|split     one `--role all` process, or one `api` and one `worker` (all)
 *   --rate N               open loop at N attendances/s; without it, closed loop (max throughput)
 *   --senders N            closed loop: attendances in flight, each waiting for its notification (64)
 *   --seconds N --warmup N measured window and warm-up before it (30, 5)
 *   --redis ci|fsync       the Redis at REDIS_URL as CI has it, or our own with appendfsync always (ci)
 *   --children N           children pre-loaded on plans by a plan upload (1000)
 *   --concurrency N        the workers' concurrency (config/sample.yaml's when absent)
 *   --hub-node-options S   e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   --json                 also print the figures as one JSON line
 *
 * Latency and throughput come from Redis after the run: each source message's `createdAt`
 * and its notification's `acceptedAt`, both stamped by the hub, so they are exact.
 */

interface Options {
  layout: Layout;
  rate?: number;
  senders: number;
  seconds: number;
  warmup: number;
  redis: RedisMode;
  children: number;
  concurrency?: number;
  hubNodeOptions: string[];
  json: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      layout: { type: 'string', default: 'all' },
      rate: { type: 'string' },
      senders: { type: 'string', default: '64' },
      seconds: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      redis: { type: 'string', default: 'ci' },
      children: { type: 'string', default: '1000' },
      concurrency: { type: 'string' },
      'hub-node-options': { type: 'string', default: '' },
      json: { type: 'boolean', default: false },
    },
  });
  return {
    layout: oneOf('layout', values.layout, ['all', 'split'] as const),
    rate: values.rate === undefined ? undefined : positiveInteger('rate', values.rate),
    senders: positiveInteger('senders', values.senders),
    seconds: positiveInteger('seconds', values.seconds),
    warmup: positiveInteger('warmup', values.warmup, 0),
    redis: oneOf('redis', values.redis, ['ci', 'fsync'] as const),
    children: positiveInteger('children', values.children),
    concurrency: values.concurrency === undefined ? undefined : positiveInteger('concurrency', values.concurrency),
    hubNodeOptions: values['hub-node-options'].split(' ').filter(Boolean),
    json: values.json,
  };
}

interface Figures extends FlowFigures {
  date: string;
  mode: string;
  layout: Layout;
  redis: RedisMode;
  seconds: number;
  sent: number;
  sendMs: { p50: number; p99: number; max: number };
  errors: number;
  late: number;
  hubPeakRssMb: Record<string, number>;
  cpuPercent: CpuFigures & { roles: string[] };
  hubCpuMsPerAttendance: number;
}

function print(f: Figures, firstErrors: string[], json: boolean): void {
  const line = (label: string, value: string) => console.log(`${label.padEnd(22)}${value}`);
  console.log(`attendance flow: ${f.mode}, layout ${f.layout}, Redis ${f.redis === 'fsync' ? 'appendfsync always' : 'as on CI'}, ${f.seconds} s measured`);
  line('processed/s', `${f.processedPerSecond}   (accepted/s ${f.acceptedPerSecond})`);
  line('202 to notification', `p50 ${f.latencyMs.p50} ms   p99 ${f.latencyMs.p99} ms   max ${f.latencyMs.max} ms   (${f.measured} attendances)`);
  line('send (202)', `p50 ${f.sendMs.p50} ms   p99 ${f.sendMs.p99} ms`);
  line('errors / unprocessed', `${f.errors} / ${f.unprocessed}${f.late ? `   late sends ${f.late}` : ''}`);
  line('hub peak RSS', Object.entries(f.hubPeakRssMb).map(([role, mb]) => `${role} ${mb} MB`).join(', '));
  line('hub CPU', `${f.hubCpuMsPerAttendance} ms per attendance`);
  const c = f.cpuPercent;
  line('CPU % of a core', `${c.roles.map((r, i) => `${r} ${c.hubs[i]}`).join(', ')}, bench ${c.bench}, Redis ${c.redis}, machine ${c.machine} of ${c.cores * 100} (others ${c.others})`);
  for (const message of firstErrors) console.log(`  error: ${message}`);
  if (json) console.log(JSON.stringify(f));
}

function main(): void {
  const options = parseOptions();
  warnIfBusy();
  runBench('flow', { layout: options.layout, redis: options.redis, config: (tmp) => configFile(tmp, { concurrency: options.concurrency }), hubNodeOptions: options.hubNodeOptions }, async (run) => {
    const { hubs, redis, prefix, shouldStop } = run;
    const children = await preloadChildren(hubs.url, options.children, shouldStop);

    const http = pool(hubs.url, options.rate ? 256 : options.senders);
    const pids = hubs.processes.map((p) => p.child.pid!);
    const rss = new PeakRss(pids);
    const load = newLoad();
    const durationMs = (options.warmup + options.seconds) * 1000;
    const startedAt = Date.now();
    const measureFrom = startedAt + options.warmup * 1000;
    let cpuFrom: ReturnType<typeof cpuSnapshot> | undefined;
    const cpuTimer = setTimeout(() => { cpuFrom = cpuSnapshot(redis, pids); }, options.warmup * 1000);
    const tag = prefix.split(':')[1];
    if (options.rate) await openLoop(http, load, { rate: options.rate, durationMs, children, tag, shouldStop });
    else await closedLoop(http, redis, prefix, load, { senders: options.senders, durationMs, children, tag, shouldStop });
    const measureTo = Date.now();
    // The closed loop ends with its notifications done; the open loop may leave a backlog to finish.
    await waitProcessed(redis, prefix, load.ids, 60_000, shouldStop);
    const cpuTo = await cpuSnapshot(redis, pids);
    clearTimeout(cpuTimer);
    rss.stop();
    await http.close();

    const flow = await flowFigures(redis, prefix, load.ids, measureFrom, measureTo);
    const cpuStart = await (cpuFrom ?? cpuSnapshot(redis, pids));
    const cpu = cpuFigures(cpuStart, cpuTo);
    const hubMs = cpuTo.hubs.reduce((a, b) => a + b, 0) - cpuStart.hubs.reduce((a, b) => a + b, 0);
    const figures: Figures = {
      date: new Date().toISOString(),
      mode: options.rate ? `open loop at ${options.rate}/s` : `closed loop, ${options.senders} senders`,
      layout: options.layout,
      redis: options.redis,
      seconds: round((measureTo - measureFrom) / 1000),
      sent: load.ids.length,
      ...flow,
      sendMs: summary(load.sendMs),
      errors: load.errors,
      late: load.late,
      hubPeakRssMb: Object.fromEntries(hubs.processes.map((p) => [p.role, round((rss.peakKb.get(p.child.pid!) ?? 0) / 1024, 1)])),
      cpuPercent: { ...cpu, roles: hubs.processes.map((p) => p.role) },
      // From the warm-up's end to the backlog's end: the work of the attendances accepted in the window.
      hubCpuMsPerAttendance: round(hubMs / Math.max(1, flow.accepted), 3),
    };
    print(figures, load.firstErrors, options.json);
    if (run.hubExited()) process.stderr.write('bench: a hub process exited during the run\n');
    if (run.interrupted()) return 130;
    return load.errors > 0 || flow.unprocessed > 0 || run.hubExited() ? 1 : 0;
  });
}

main();
