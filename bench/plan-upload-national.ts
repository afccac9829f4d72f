import { randomUUID } from 'node:crypto';
import { buildFileResponse } from '../engine/cpis/dms/file-response.js';
import { answerRecords, fileStatus, mapUpload } from '../engine/cpis/dms/records.js';
import { parseDmsUpload } from '../engine/cpis/dms/upload.js';
import { buildPlanUpdateAck } from '../engine/cpis/xml/plan-update-ack.js';
import { parsePlanUpdate } from '../engine/cpis/xml/plan-update.js';
import {
  configFile, cpuFigures, cpuSnapshot, LA, NATIONAL_LA, nationalFile, nhsNumbers, planFile, round, runBench, summary, timedUpload, uploadBenchOptions, type UploadPhases, warnIfBusy,
} from './cpis-support.js';
import { LA709 } from '../scripts/sample-exchange.js';

/**
 * `npm run bench:plan-upload-national -- [options]`: against one hub process, a native plan
 * update (LA706CSC, `planUpdate`) and a national upload (LA709CSC, DMS `File`) of N records
 * each, every round with children of their own, the order alternating from round to round.
 * Each is timed from the start of its send until its acknowledgement is downloaded (the XML
 * is built before the clock starts). Then the codec's own steps for both formats, timed in
 * this process on documents of the same shape, say where the national time goes.
 *
 *   --records N            records in each file (100000)
 *   --rounds N             native + national pairs (3)
 *   --chunk-mib N          the client's chunk size in MiB (20, the client's default)
 *   --layout all|split     as in attendance-flow (all)
 *   --redis ci|fsync       as in attendance-flow (ci)
 *   --max-mib N            the plan update workflow's maxMessageBytes in MiB (128: a 100,000-record
 *                          national file is about 103 MiB, over the 64 MiB default)
 *   --hub-node-options S   e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   --json
 */

const TARGET_RATIO = 1.5;

function parseOptions() {
  const { counts, ...common } = uploadBenchOptions({ rounds: '3', 'max-mib': '128' });
  return { ...common, rounds: counts.rounds, maxMib: counts['max-mib'] };
}

type Format = 'native' | 'national';

interface Upload extends Omit<UploadPhases, 'ack'> {
  round: number;
  format: Format;
  fileMiB: number;
  /** Records the acknowledgement reports as loaded, and the file's status. */
  loaded: number;
  status: string;
  othersCpu: number;
}

/** Loaded records as each acknowledgement counts them: a CPR06 per result, or the FileResponse's successful count. */
function verdict(format: Format, ack: string): { status: string; loaded: number } {
  const status = /CPF0\d/.exec(ack)?.[0] ?? 'none';
  if (format === 'native') return { status, loaded: (ack.match(/CPR06/g) ?? []).length };
  const successful = /<successfulReturnedCP-ISRecords>\s*<value value="(\d+)"/.exec(ack);
  return { status, loaded: successful ? Number(successful[1]) : 0 };
}

function timed<T>(steps: Record<string, number>, label: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  steps[label] = Math.round(performance.now() - start);
  return result;
}

/** The codec's own steps for one document of each format, in this process: what the hub does around the register. */
function codecSteps(native: string, national: string, maxBytes: number): { native: Record<string, number>; national: Record<string, number> } {
  const n: Record<string, number> = {};
  const parsedNative = timed(n, 'parse+validate', () => parsePlanUpdate(native));
  if (!parsedNative.ok) throw new Error('the native file did not read back');
  const file = parsedNative.value;
  timed(n, 'ack build', () => buildPlanUpdateAck({
    sequence: file.sequence, status: 'CPF02', recordsProcessed: file.records.length,
    results: file.records.map((r, i) => ({ position: i + 1, localId: r.localId, code: 'CPR06' })),
  }));

  const d: Record<string, number> = {};
  const parsed = timed(d, 'parse+validate', () => parseDmsUpload(national, { maxBytes }));
  if (!parsed.ok) throw new Error('the national file did not read back');
  const upload = parsed.value;
  const mapped = timed(d, 'mapping', () => mapUpload(upload));
  // Every record loads, as in the run: the register's answers are all CPR06.
  const outcomes = timed(d, 'answers', () => answerRecords(upload, mapped, mapped.plans.map((p, i) => ({ position: i + 1, localId: p.record.localId, code: 'CPR06' }))));
  timed(d, 'FileResponse build', () => buildFileResponse({
    fileId: upload.fileId, created: '2026-11-01T09:00:00Z', status: fileStatus(outcomes), recipient: LA709, outcomes,
  }));
  return { native: n, national: d };
}

function main(): void {
  const options = parseOptions();
  warnIfBusy();
  runBench('plan-national', { layout: options.layout, redis: options.redis, config: (tmp) => configFile(tmp, { planUpdateMaxBytes: options.maxMib * 1024 * 1024 }), hubNodeOptions: options.hubNodeOptions }, async (run) => {
    const { hubs, redis, prefix } = run;
    const chunkSize = options.chunkMib * 1024 * 1024;
    const pids = hubs.processes.map((p) => p.child.pid!);
    // Children of their own for every file: nothing an upload finds in the register was put there by another.
    const children = nhsNumbers(2 * options.rounds * options.records);
    let nextChild = 0;
    const fresh = () => children.slice(nextChild, (nextChild += options.records));

    const uploads: Upload[] = [];
    const documents: Record<Format, string> = { native: '', national: '' };
    for (let round_ = 1; round_ <= options.rounds && !run.shouldStop(); round_++) {
      const order: Format[] = round_ % 2 === 1 ? ['native', 'national'] : ['national', 'native'];
      for (const format of order) {
        const tag = `${format}-${round_}-${randomUUID().slice(0, 8)}`;
        const xml = format === 'native' ? planFile(round_, fresh()) : nationalFile(tag, fresh());
        documents[format] = xml;
        const cpuFrom = await cpuSnapshot(redis, pids);
        const phases = await timedUpload(redis, prefix, hubs.url, xml, {
          chunkSize, localId: tag, timeoutMs: 600_000, shouldStop: run.shouldStop, mailbox: format === 'native' ? LA : NATIONAL_LA,
        });
        const cpu = cpuFigures(cpuFrom, await cpuSnapshot(redis, pids));
        const { ack, ...times } = phases;
        const upload: Upload = { round: round_, format, fileMiB: round(Buffer.byteLength(xml) / 1024 / 1024, 1), ...times, ...verdict(format, ack), othersCpu: cpu.others };
        uploads.push(upload);
        console.log(`round ${round_} ${format.padEnd(8)} ${upload.fileMiB} MiB: start to ack downloaded ${round(upload.ackDownloadedMs / 1000, 2)} s `
          + `(upload ${round(upload.uploadMs / 1000, 2)} s, processing ${round(upload.processingMs / 1000, 2)} s), ${upload.status}, ${upload.loaded} loaded, others ${upload.othersCpu}% of a core`);
      }
    }
    if (run.shouldStop()) return run.interrupted() ? 130 : 1;

    const of = (format: Format, pick: (u: Upload) => number) => uploads.filter((u) => u.format === format).map(pick);
    const ratios = Array.from({ length: options.rounds }, (_, i) => {
      const [native, national] = (['native', 'national'] as const).map((f) => uploads.find((u) => u.round === i + 1 && u.format === f)!.ackDownloadedMs);
      return round(national / native);
    });
    const median = (xs: number[]) => summary(xs).p50;
    const nativeMs = median(of('native', (u) => u.ackDownloadedMs));
    const nationalMs = median(of('national', (u) => u.ackDownloadedMs));
    const ratio = round(nationalMs / nativeMs);
    const steps = codecSteps(documents.native, documents.national, options.maxMib * 1024 * 1024);

    const line = (label: string, value: string) => console.log(`${label.padEnd(32)}${value}`);
    const spread = (format: Format, pick: (u: Upload) => number) => of(format, pick).map((ms) => round(ms / 1000, 2)).join(' / ');
    console.log(`\nplan upload, native against national: ${options.records} records each, ${options.rounds} round(s), layout ${options.layout}, Redis ${options.redis === 'fsync' ? 'appendfsync always' : 'as on CI'}`);
    line('start to ack downloaded (s)', `native ${spread('native', (u) => u.ackDownloadedMs)}, national ${spread('national', (u) => u.ackDownloadedMs)}`);
    line('  hub processing (s)', `native ${spread('native', (u) => u.processingMs)}, national ${spread('national', (u) => u.processingMs)}`);
    line('ratio national/native', `${ratio} on the medians (per round ${ratios.join(' / ')}); target ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'missed'}`);
    line('codec steps in-process (ms)', '');
    line('  native', Object.entries(steps.native).map(([k, v]) => `${k} ${v}`).join(', '));
    line('  national', Object.entries(steps.national).map(([k, v]) => `${k} ${v}`).join(', '));
    const codecMs = Object.values(steps.national).reduce((a, b) => a + b, 0);
    line('  national, rest of processing', `${round((median(of('national', (u) => u.processingMs)) - codecMs) / 1000, 2)} s (register, queue, storing the ack: hub processing less the codec steps)`);
    if (options.json) console.log(JSON.stringify({ date: new Date().toISOString(), records: options.records, layout: options.layout, redis: options.redis, uploads, nativeMs, nationalMs, ratio, ratios, steps }));
    const allLoaded = uploads.every((u) => u.status === 'CPF02' && u.loaded === options.records);
    return allLoaded && !run.hubExited() ? 0 : 1;
  });
}

main();
