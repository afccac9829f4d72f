import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile, positiveInteger, ROOT, round } from './cpis-support.js';

/**
 * `npm run bench:rss -- [--rounds 3] [--seconds 20] [--clients 16]`: the hub's peak RSS
 * compiled (`node dist/engine/main.js`, as in the image) against tsx (`npm start`) in one
 * run. Each round runs `bench/mesh-roundtrip.ts --main tsx|compiled` once for each, the
 * order alternating between rounds so that neither always has the quieter machine.
 * The script builds first (`npm run build`). Target: compiled under 200 MB at 16 clients.
 */
const TARGET_MB = 200;
const MAINS = ['tsx', 'compiled'] as const;

interface RunFigures {
  hubPeakRssMb: number;
  roundTripsPerSecond: number;
  errors: number;
  machineCpuPercent: number;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '20' },
      clients: { type: 'string', default: '16' },
    },
  });
  return {
    rounds: positiveInteger('rounds', values.rounds),
    seconds: String(positiveInteger('seconds', values.seconds)),
    clients: String(positiveInteger('clients', values.clients)),
  };
}

/** One mesh-roundtrip run; its last line is the JSON of every figure. */
function measure(main: (typeof MAINS)[number], clients: string, seconds: string): RunFigures {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/mesh-roundtrip.ts', '--main', main, '--clients', clients, '--seconds', seconds, '--json'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = run.stdout.trim().split('\n');
  if (run.status !== 0) throw new Error(`mesh-roundtrip --main ${main} exited ${run.status}:\n${run.stdout}`);
  return JSON.parse(lines[lines.length - 1]) as RunFigures;
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

function main(): number {
  const options = parseOptions();
  if (!existsSync(join(ROOT, 'dist/engine/main.js'))) throw new Error('no dist/engine/main.js: run `npm run build` first (npm run bench:rss does)');
  const peaks: Record<string, number[]> = { tsx: [], compiled: [] };
  console.log(`${options.clients} clients, ${options.seconds} s measured per run, ${options.rounds} rounds`);
  console.log('round  hub       peak RSS MB  round trips/s  errors  machine CPU %');
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? MAINS : [...MAINS].reverse();
    for (const main of order) {
      const f = measure(main, options.clients, options.seconds);
      peaks[main].push(f.hubPeakRssMb);
      console.log(`${String(round).padEnd(7)}${main.padEnd(10)}${String(f.hubPeakRssMb).padEnd(13)}${String(f.roundTripsPerSecond).padEnd(15)}${String(f.errors).padEnd(8)}${f.machineCpuPercent}`);
    }
  }
  for (const main of MAINS) console.log(`${main}: peak RSS ${Math.min(...peaks[main])} to ${Math.max(...peaks[main])} MB`);
  const worst = Math.max(...peaks.compiled);
  console.log(`compiled saves ${round(median(peaks.tsx) - median(peaks.compiled), 1)} MB (medians); highest compiled peak ${worst} MB, target under ${TARGET_MB} MB: ${worst < TARGET_MB ? 'met' : 'NOT met'}`);
  return worst < TARGET_MB ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`bench:rss: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
