import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/spawn-ready.js';
import { command, kill, ping, stopAll } from './redis-servers.js';
import { until } from './wait.js';

const run = promisify(execFile);

export interface RedisCluster {
  /** `host:port` of every node, as REDIS_CLUSTER_NODES and redis.cluster.nodes take them. */
  nodes: string[];
  /** Ports of the nodes that are masters now (ascending). */
  masterPorts(): Promise<number[]>;
  /** SIGKILLs the master serving this slot; resolves with its port once it has exited. */
  killMasterOf(slot: number): Promise<number>;
  /** The port of the master serving this slot now, as a surviving node sees it. */
  masterOf(slot: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Redis-server processes in cluster mode on free ports, made a cluster of three masters
 * each with `replicasPerMaster` replicas by `redis-cli --cluster create`, in a folder of their
 * own with nothing on disk. A master silent for 1 s is failed over by its replica.
 */
export async function startRedisCluster(replicasPerMaster = 1): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cpisx-cluster-'));
  const children = new Map<number, ChildProcess>();
  try {
    const ports = await distinctPorts(3 * (1 + replicasPerMaster));
    const start = async (port: number) => {
      children.set(port, spawn('redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
        '--maxmemory-policy', 'noeviction', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`,
        '--cluster-node-timeout', '1000', '--dbfilename', `${port}.rdb`, '--repl-diskless-sync-delay', '0',
      ], { stdio: 'ignore' }));
      await until(() => ping(port), 10_000, 50);
    };
    await Promise.all(ports.map(start));
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicasPerMaster), '--cluster-yes']);
    await until(() => healthy(ports, replicasPerMaster), 30_000, 100);
    const living = () => ports.filter((p) => children.get(p)!.exitCode === null && children.get(p)!.signalCode === null);
    const masterOf = async (slot: number) => slotOwner(await command(living()[0], 'CLUSTER', 'SLOTS') as SlotRange[], slot);
    return {
      nodes: ports.map((p) => `127.0.0.1:${p}`),
      masterOf,
      async masterPorts() {
        const ranges = (await command(living()[0], 'CLUSTER', 'SLOTS')) as SlotRange[];
        return [...new Set(ranges.map((r) => Number(r[2][1])))].sort((a, b) => a - b);
      },
      async killMasterOf(slot) {
        const port = await masterOf(slot);
        await kill(children.get(port)!);
        return port;
      },
      stop: async () => stopAll(children, dir),
    };
  } catch (err) {
    await stopAll(children, dir);
    throw err;
  }
}

/** CLUSTER SLOTS: [start, end, [host, port, id], ...replicas]. */
type SlotRange = [number, number, [string, number, string], ...unknown[]];

function slotOwner(ranges: SlotRange[], slot: number): number {
  const range = ranges.find(([start, end]) => slot >= start && slot <= end);
  if (!range) throw new Error(`no node serves slot ${slot}`);
  return Number(range[2][1]);
}

/**
 * Every node agrees the cluster is ok and names each master's replica (a client reads the
 * slots from any one node), and every master has its replica in sync.
 */
async function healthy(ports: number[], replicasPerMaster: number): Promise<true | undefined> {
  const infos = await Promise.all(ports.map((p) => command(p, 'CLUSTER', 'INFO') as Promise<string>));
  if (!infos.every((info) => info.includes('cluster_state:ok'))) return undefined;
  const views = await Promise.all(ports.map((p) => command(p, 'CLUSTER', 'SLOTS') as Promise<SlotRange[]>));
  if (!views.every((ranges) => ranges.length === 3 && ranges.every((range) => range.length === 3 + replicasPerMaster))) return undefined;
  const roles = await Promise.all(ports.map((p) => command(p, 'INFO', 'replication') as Promise<string>));
  const masters = roles.filter((r) => r.includes('role:master'));
  return masters.length === 3 && masters.every((r) => r.match(/state=online/g)?.length === replicasPerMaster) ? true : undefined;
}

/** freePort asks the kernel one at a time and may answer the same port twice; the cluster bus also takes port+10000. */
async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = await freePort();
    if (port < 55_000) ports.add(port);
  }
  return [...ports];
}
