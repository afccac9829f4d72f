import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** What the benchmarks read about processes: resident memory and CPU, from /proc and Redis's INFO. */

function procFile(path: string): string {
  try {
    return readFileSync(`/proc/${path}`, 'utf8');
  } catch {
    return ''; // the process has exited
  }
}

/** A process's command line, spaces between its arguments; empty once it has exited. */
export function commandLine(pid: number): string {
  return procFile(`${pid}/cmdline`).replace(/\0/g, ' ');
}

/** A process's parent (0 once it has exited). The command in /proc/<pid>/stat may hold spaces and parentheses: the fields follow its last ')'. */
export function parentPid(pid: number): number {
  const stat = procFile(`${pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? 0) || 0;
}

export function rssKb(pid: number): number | undefined {
  const match = /VmRSS:\s+(\d+) kB/.exec(procFile(`${pid}/status`));
  return match ? Number(match[1]) : undefined;
}

/** Peak resident memory of each process, sampled every 200 ms. */
export class PeakRss {
  readonly peakKb = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: number[]) {
    this.timer = setInterval(() => this.sample(), 200);
  }

  private sample(): void {
    for (const pid of this.pids) {
      const kb = rssKb(pid);
      if (kb !== undefined) this.peakKb.set(pid, Math.max(this.peakKb.get(pid) ?? 0, kb));
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

/** CPU milliseconds Redis has used since it started (`INFO cpu`). */
export async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000;
}

/** CPU milliseconds used so far by each hub, this process, Redis and the whole machine. */
export interface CpuSnapshot {
  wall: number;
  hubs: number[];
  bench: number;
  redis: number;
  machine: number;
}

export async function cpuSnapshot(redis: Redis, hubPids: number[]): Promise<CpuSnapshot> {
  const bench = process.cpuUsage();
  return {
    wall: performance.now(),
    hubs: hubPids.map(processCpuMs),
    bench: (bench.user + bench.system) / 1000,
    redis: await redisCpuMs(redis),
    machine: machineBusyMs(),
  };
}

/** CPU milliseconds every core has been busy since boot. */
export function machineBusyMs(): number {
  // /proc/stat counts in USER_HZ (100 a second on Linux); busy is everything but idle and iowait.
  const ticks = procFile('stat').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]) * 10;
}

/**
 * schedstat's first field is nanoseconds on a CPU: no clock-tick guessing. NaN once the
 * process has exited, so that a dead hub shows as no figure rather than a wrong one.
 */
export function processCpuMs(pid: number): number {
  const schedstat = procFile(`${pid}/schedstat`);
  return schedstat ? Number(schedstat.split(' ')[0]) / 1e6 : NaN;
}
