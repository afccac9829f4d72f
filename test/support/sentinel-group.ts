import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/spawn-ready.js';
import { command, kill, ping, stopAll } from './redis-servers.js';
import { until } from './wait.js';

export const GROUP_NAME = 'cpistest';

export interface SentinelGroup {
  /** `host:port,…` of the sentinels, as REDIS_SENTINELS and redis.sentinels.nodes take them. */
  sentinels: string[];
  /** The port of the master the sentinels name now. */
  masterPort(): Promise<number>;
  /** SIGKILLs the current master; resolves with its port once it has exited. */
  killMaster(): Promise<number>;
  /** What each sentinel and each live server says now, for a run that stalled. */
  describe(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * One master, two replicas and three sentinels as real redis-server processes on free
 * ports, in a folder of their own, nothing on disk. The sentinels call the master down
 * after 1 s of silence, so a failover takes a few seconds.
 */
export async function startSentinelGroup(): Promise<SentinelGroup> {
  const dir = mkdtempSync(join(tmpdir(), 'cpisx-sentinel-'));
  const children = new Map<number, ChildProcess>();
  const server = async (port: number, args: string[]) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    children.set(port, child);
    await until(() => ping(port), 10_000, 50);
  };
  try {
    const [master, ...replicas] = await Promise.all([freePort(), freePort(), freePort()]);
    const data = (port: number, more: string[] = []) => server(port, [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
      '--maxmemory-policy', 'noeviction', '--dbfilename', `${port}.rdb`, '--repl-diskless-sync-delay', '0', ...more,
    ]);
    await data(master);
    await Promise.all(replicas.map((port) => data(port, ['--replicaof', '127.0.0.1', String(master)])));
    // Both replicas in sync before anything writes: a WAIT before then would count none.
    await until(async () => ((await command(master, 'INFO', 'replication')) as string).match(/state=online/g)?.length === 2 || undefined, 15_000, 50);
    const sentinels = await Promise.all([freePort(), freePort(), freePort()]);
    await Promise.all(sentinels.map((port) => {
      const file = join(dir, `sentinel-${port}.conf`);
      writeFileSync(file, [
        `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
        `sentinel monitor ${GROUP_NAME} 127.0.0.1 ${master} 2`,
        `sentinel down-after-milliseconds ${GROUP_NAME} 1000`,
        `sentinel failover-timeout ${GROUP_NAME} 3000`,
        `sentinel parallel-syncs ${GROUP_NAME} 1`, '',
      ].join('\n'));
      return server(port, [file, '--sentinel']);
    }));
    // The sentinels must know the replicas (they learn them from the master) before a failover can pick one.
    await until(async () => ((await command(sentinels[0], 'SENTINEL', 'REPLICAS', GROUP_NAME)) as unknown[]).length === 2 || undefined, 15_000, 100);
    const masterPort = async () => Number(((await command(sentinels[0], 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', GROUP_NAME)) as string[])[1]);
    return {
      sentinels: sentinels.map((port) => `127.0.0.1:${port}`),
      masterPort,
      async killMaster() {
        const port = await masterPort();
        await kill(children.get(port)!);
        return port;
      },
      describe: async () => describeGroup([master, ...replicas], sentinels, children),
      stop: async () => stopAll(children, dir),
    };
  } catch (err) {
    await stopAll(children, dir);
    throw err;
  }
}

/** Each sentinel's master and failover state, and each live server's role and replication link. */
async function describeGroup(dataPorts: number[], sentinelPorts: number[], children: Map<number, ChildProcess>): Promise<string> {
  const ask = (port: number, name: string, ...args: string[]) => command(port, name, ...args).catch((err: Error) => `(${err.message})`);
  const pick = (info: unknown, fields: string[]) => String(info).split('\r\n').filter((line) => fields.some((f) => line.startsWith(`${f}:`))).join(' ');
  const sentinels = await Promise.all(sentinelPorts.map(async (port) => {
    const reply = await ask(port, 'SENTINEL', 'MASTER', GROUP_NAME);
    const fields = Array.isArray(reply) ? Object.fromEntries(reply.reduce<string[][]>((pairs, v, i) => (i % 2 ? pairs : [...pairs, [v, reply[i + 1]]]), [])) : {};
    return `sentinel ${port}: master ${fields.port ?? reply} flags ${fields.flags} failover-state ${fields['failover-state'] ?? '-'} replicas ${fields['num-slaves']}`;
  }));
  const servers = await Promise.all(dataPorts.filter((port) => children.get(port)?.exitCode === null && children.get(port)?.signalCode === null).map(async (port) =>
    `server ${port}: ${pick(await ask(port, 'INFO', 'replication'), ['role', 'connected_slaves', 'master_port', 'master_link_status', 'master_repl_offset'])}`));
  return [...sentinels, ...servers].join('\n  ');
}
