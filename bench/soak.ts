import { parseArgs } from 'node:util';
import {
  configFile, Drainer, flowFigures, LA, type Layout, newLoad, oneOf, openLoop, pool, positiveInteger, preloadChildren, type RedisMode, redisUsedMb, round, rssKb, runBench, sleep, summary, TRUST, waitProcessed, warnIfBusy,
} from './cpis-support.js';

/**
 * `npm run bench:soak -- [options]`: the hub's memory over a long run at a steady
 * attendance rate, with the trust's and the LA's inboxes drained (list, download,
 * acknowledge) as their systems would. RSS sampled every 10 s; growth is final against
 * the sample at the end of the warm-up.
 *
 *   --rate N             attendances/s, open loop (200)
 *   --minutes N          length of the run (10)
 *   --warmup-seconds N   RSS baseline taken at this point (60)
 *   --layout all|split   (all)
 *   --redis ci|fsync     (ci)
 *   --children N         (1000)
 *   --json
 */

const SAMPLE_EVERY_MS = 10_000;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '200' },
      minutes: { type: 'string', default: '10' },
      'warmup-seconds': { type: 'string', default: '60' },
      layout: { type: 'string', default: 'all' },
      redis: { type: 'string', default: 'ci' },
      children: { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
    },
  });
  return {
    rate: positiveInteger('rate', values.rate),
    minutes: positiveInteger('minutes', values.minutes),
    warmupSeconds: positiveInteger('warmup-seconds', values['warmup-seconds'], 0),
    layout: oneOf('layout', values.layout, ['all', 'split'] as const) as Layout,
    redis: oneOf('redis', values.redis, ['ci', 'fsync'] as const) as RedisMode,
    children: positiveInteger('children', values.children),
    json: values.json,
  };
}

interface Sample {
  second: number;
  rssMb: Record<string, number>;
  redisMb: number;
  drained: number;
}

function main(): void {
  const options = parseOptions();
  warnIfBusy();
  runBench('soak', { layout: options.layout, redis: options.redis, config: (tmp) => configFile(tmp), hubNodeOptions: [] }, async (run) => {
    const { hubs, redis, prefix, shouldStop } = run;
    const children = await preloadChildren(hubs.url, options.children, shouldStop);

    const http = pool(hubs.url, 128);
    const drainHttp = pool(hubs.url, 16);
    const drainers = [new Drainer(drainHttp, TRUST), new Drainer(drainHttp, LA)];
    const load = newLoad();
    const durationMs = options.minutes * 60_000;
    const startedAt = Date.now();
    const samples: Sample[] = [];
    const sample = async () => {
      const s: Sample = {
        second: Math.round((Date.now() - startedAt) / 1000),
        rssMb: Object.fromEntries(hubs.processes.map((p) => [p.role, round((rssKb(p.child.pid!) ?? 0) / 1024, 1)])),
        redisMb: await redisUsedMb(redis),
        drained: drainers.reduce((a, d) => a + d.drained, 0),
      };
      samples.push(s);
      console.log(`${String(s.second).padStart(4)} s  RSS ${Object.entries(s.rssMb).map(([r, mb]) => `${r} ${mb} MB`).join(', ')}  ` +
        `Redis ${s.redisMb} MB  sent ${load.ids.length}  drained ${s.drained}`);
    };
    await sample();
    const sampler = (async () => {
      while (Date.now() - startedAt < durationMs && !shouldStop()) {
        await sleep(SAMPLE_EVERY_MS - ((Date.now() - startedAt) % SAMPLE_EVERY_MS));
        await sample();
      }
    })();
    const tag = prefix.split(':')[1];
    await openLoop(http, load, { rate: options.rate, durationMs, children, tag, shouldStop });
    const measureTo = Date.now();
    await sampler;
    await waitProcessed(redis, prefix, load.ids, 60_000, shouldStop);
    await Promise.all(drainers.map((d) => d.stop()));
    await http.close();
    await drainHttp.close();

    const flow = await flowFigures(redis, prefix, load.ids, startedAt + options.warmupSeconds * 1000, measureTo);
    const roles = hubs.processes.map((p) => p.role);
    const warm = samples.find((s) => s.second >= options.warmupSeconds) ?? samples[0];
    const last = samples[samples.length - 1];
    const rss = Object.fromEntries(roles.map((role) => {
      const peak = Math.max(...samples.map((s) => s.rssMb[role]));
      return [role, { warmupMb: warm.rssMb[role], finalMb: last.rssMb[role], peakMb: peak, growthPercent: round(((last.rssMb[role] - warm.rssMb[role]) / warm.rssMb[role]) * 100, 1) }];
    }));
    const figures = {
      date: new Date().toISOString(),
      rate: options.rate,
      minutes: options.minutes,
      layout: options.layout,
      redis: options.redis,
      sent: load.ids.length,
      errors: load.errors + drainers.reduce((a, d) => a + d.errors, 0),
      late: load.late,
      drained: drainers.reduce((a, d) => a + d.drained, 0),
      flow,
      sendMs: summary(load.sendMs),
      rss,
      redisMb: { warmup: warm.redisMb, final: last.redisMb },
      samples,
    };
    console.log(`soak: ${options.rate} attendances/s for ${options.minutes} min, layout ${options.layout}, ` +
      `Redis ${options.redis === 'fsync' ? 'appendfsync always' : 'as on CI'}; ${figures.sent} sent, ${figures.drained} replies drained`);
    for (const [role, r] of Object.entries(rss)) {
      console.log(`hub ${role} RSS: at ${warm.second} s ${r.warmupMb} MB, final ${r.finalMb} MB, peak ${r.peakMb} MB, growth ${r.growthPercent}%`);
    }
    console.log(`Redis used memory: ${warm.redisMb} MB at ${warm.second} s, ${last.redisMb} MB at the end`);
    console.log(`202 to notification after warm-up: p50 ${flow.latencyMs.p50} ms, p99 ${flow.latencyMs.p99} ms, max ${flow.latencyMs.max} ms; ` +
      `${flow.processedPerSecond}/s processed; errors ${figures.errors}, unprocessed ${flow.unprocessed}, late ${figures.late}`);
    for (const message of [...load.firstErrors, ...drainers.flatMap((d) => d.firstErrors)]) console.log(`  error: ${message}`);
    if (options.json) console.log(JSON.stringify(figures));
    if (run.interrupted()) return 130;
    return figures.errors > 0 || flow.unprocessed > 0 || run.hubExited() ? 1 : 0;
  });
}

main();
