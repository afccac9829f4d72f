import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { redisUnavailable } from '../../engine/redis/unavailable.js';
import { ReplicationShortfall } from '../../engine/redis/replicas.js';
import { freePort } from '../../scripts/spawn-ready.js';
import { REDIS_URL } from '../support/hub.js';
import { ping, stopAll } from '../support/redis-servers.js';
import { until } from '../support/wait.js';

/*
 * The errors real Redis servers and ioredis give while a failover or a reconnect is under
 * way are "unavailable, try again" (MESH 503); errors a retry would meet again are not.
 */
const dir = mkdtempSync(join(tmpdir(), 'cpisx-unavailable-'));
const servers = new Map<number, ChildProcess>();
const connections: Redis[] = [];
const SHARED_PORT = Number(new URL(REDIS_URL).port || 6379);

async function server(...args: string[]): Promise<Redis> {
  const port = await freePort();
  servers.set(port, spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' }));
  await until(() => ping(port), 10_000, 50);
  return connect(port);
}

function connect(port: number, options: { maxRetriesPerRequest?: number } = {}): Redis {
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null, ...options });
  redis.on('error', () => undefined);
  connections.push(redis);
  return redis;
}

const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err);

afterAll(async () => {
  for (const redis of connections) redis.disconnect();
  await stopAll(servers, dir);
});

test('a replica refusing a write (READONLY), as a connection left on a demoted master meets it', async () => {
  const replica = await server('--replicaof', '127.0.0.1', String(await freePort()));
  const err = await failure(replica.set('k', '1'));
  expect([(err as Error).message.split(' ')[0], redisUnavailable(err)]).toEqual(['READONLY', true]);
});

test('a cluster node whose slots no master serves (CLUSTERDOWN)', async () => {
  const node = await server('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${Date.now()}.conf`);
  const err = await failure(node.get('k'));
  expect([(err as Error).message.split(' ')[0], redisUnavailable(err)]).toEqual(['CLUSTERDOWN', true]);
});

test('nothing listening, a command with no retries left, and a connection closed under a command', async () => {
  const refused = connect(await freePort(), { maxRetriesPerRequest: 1 });
  expect(redisUnavailable(await failure(refused.get('k')))).toBe(true);
  const closed = connect(SHARED_PORT);
  await closed.ping();
  closed.disconnect();
  const err = await failure(closed.get('k'));
  expect([(err as Error).message, redisUnavailable(err)]).toEqual(['Connection is closed.', true]);
});

test('a write its replicas did not confirm', () => {
  expect(redisUnavailable(new ReplicationShortfall('0 of 1 replicas confirmed the write within 100 ms'))).toBe(true);
});

test('errors that the same command would meet again are not unavailability', async () => {
  const redis = connect(SHARED_PORT);
  const key = `test:unavailable:${process.pid}`;
  await redis.set(key, 'a string');
  try {
    expect(redisUnavailable(await failure(redis.hget(key, 'field')))).toBe(false); // WRONGTYPE
    expect(redisUnavailable(await failure(redis.eval('return redis.call("NOSUCHCOMMAND")', 0)))).toBe(false);
    expect(redisUnavailable(new Error('MOVED wording in an unrelated error'))).toBe(false);
    expect(redisUnavailable(undefined)).toBe(false);
  } finally {
    await redis.del(key);
  }
});
