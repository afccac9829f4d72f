import { randomUUID } from 'node:crypto';
import {
  configFile, cpuFigures, cpuSnapshot, nhsNumbers, PeakRss, planFile, round, runBench, timedUpload, uploadBenchOptions, warnIfBusy,
} from './cpis-support.js';

/**
 * `npm run bench:plan-upload -- [options]`: one LA plan update file of N records sent
 * with the MESH client (chunked, gzipped), timed from the start of the send to its
 * acknowledgement in the LA's inbox. The XML is built before the clock starts.
 *
 *   --records N            records in the file (100000)
 *   --chunk-mib N          the client's chunk size in MiB (20, the client's default)
 *   --layout all|split     as in attendance-flow (all)
 *   --redis ci|fsync       as in attendance-flow (ci)
 *   --hub-node-options S   e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   --json
 */

function parseOptions() {
  return uploadBenchOptions({});
}

function main(): void {
  const options = parseOptions();
  warnIfBusy();
  runBench('plan', { layout: options.layout, redis: options.redis, config: (tmp) => configFile(tmp), hubNodeOptions: options.hubNodeOptions }, async (run) => {
    const { hubs, redis, prefix } = run;

    const built = performance.now();
    const xml = planFile(1, nhsNumbers(options.records));
    const buildMs = performance.now() - built;
    const bytes = Buffer.byteLength(xml);
    const chunkSize = options.chunkMib * 1024 * 1024;

    const pids = hubs.processes.map((p) => p.child.pid!);
    const rss = new PeakRss(pids);
    const cpuFrom = await cpuSnapshot(redis, pids);
    const upload = await timedUpload(redis, prefix, hubs.url, xml, { chunkSize, localId: `plan-${randomUUID().slice(0, 8)}`, timeoutMs: 300_000, shouldStop: run.shouldStop });
    const cpuTo = await cpuSnapshot(redis, pids);
    rss.stop();

    const loaded = (upload.ack.match(/CPR06/g) ?? []).length;
    const figures = {
      date: new Date().toISOString(),
      layout: options.layout,
      redis: options.redis,
      records: options.records,
      fileMiB: round(bytes / 1024 / 1024, 1),
      chunks: Math.ceil(bytes / chunkSize),
      buildMs: Math.round(buildMs),
      sendToAckMs: upload.sendToAckMs,
      uploadMs: upload.uploadMs,
      fileCompleteMs: upload.fileCompleteMs,
      processingMs: upload.processingMs,
      ackSeenByPollMs: upload.ackSeenByPollMs,
      ackDownloadedMs: upload.ackDownloadedMs,
      fileStatus: /CPF0\d/.exec(upload.ack)?.[0] ?? 'none',
      recordsLoaded: loaded,
      hubPeakRssMb: Object.fromEntries(hubs.processes.map((p) => [p.role, round((rss.peakKb.get(p.child.pid!) ?? 0) / 1024, 1)])),
      cpuPercent: { ...cpuFigures(cpuFrom, cpuTo), roles: hubs.processes.map((p) => p.role) },
    };
    const line = (label: string, value: string) => console.log(`${label.padEnd(24)}${value}`);
    console.log(`plan upload: ${figures.records} records, ${figures.fileMiB} MiB in ${figures.chunks} chunk(s), layout ${figures.layout}, Redis ${figures.redis === 'fsync' ? 'appendfsync always' : 'as on CI'}`);
    line('send to ack in LA inbox', `${round(figures.sendToAckMs / 1000, 2)} s`);
    line('  upload (send returns)', `${round(figures.uploadMs / 1000, 2)} s   (file complete in hub inbox at ${round(figures.fileCompleteMs / 1000, 2)} s)`);
    line('  processing', `${round(figures.processingMs / 1000, 2)} s   (file complete to ack accepted)`);
    line('ack polled / downloaded', `${round(figures.ackSeenByPollMs / 1000, 2)} s / ${round(figures.ackDownloadedMs / 1000, 2)} s`);
    line('result', `${figures.fileStatus}, ${figures.recordsLoaded} records CPR06`);
    line('hub peak RSS', Object.entries(figures.hubPeakRssMb).map(([role, mb]) => `${role} ${mb} MB`).join(', '));
    const c = figures.cpuPercent;
    line('CPU % of a core', `${c.roles.map((r, i) => `${r} ${c.hubs[i]}`).join(', ')}, bench ${c.bench}, Redis ${c.redis}, machine ${c.machine} of ${c.cores * 100} (others ${c.others})`);
    line('(XML built beforehand)', `${figures.buildMs} ms`);
    if (options.json) console.log(JSON.stringify(figures));
    if (run.interrupted()) return 130;
    return figures.fileStatus === 'CPF02' && loaded === options.records && !run.hubExited() ? 0 : 1;
  });
}

main();
