import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../engine/config/load.js';
import type { CpisSettings } from '../../engine/config/schema.js';
import { Keys } from '../../engine/mailbox/keys.js';
import { RedisMailboxStore } from '../../engine/mailbox/redis-store.js';
import { Arrivals } from '../../engine/pipeline/arrivals.js';
import { AttemptLog } from '../../engine/pipeline/attempt-log.js';
import { openQueues, type QueueKind } from '../../engine/pipeline/queues.js';
import { orderSuffix } from '../../engine/pipeline/notification-worker.js';
import { CpisWorkers, type MessageHandler } from '../../engine/pipeline/workers.js';
import { attendanceXml } from '../support/cpis.js';
import { deleteKeys, memoryLogger, REDIS_URL } from '../support/hub.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import {
  attendanceQueueKeys, drain, inParallel, loadPlans, meshClient, nhsNumbers, outputClosed, replyProblems, sampleConfigWith, waitFor, within, type SentAttendance,
} from '../support/worker-processes.js';

/*
 * SIGTERM and SIGINT: a worker stops taking work, finishes (or, at the deadline,
 * releases) its in-flight jobs and exits 0; what it had not done is done once by the next.
 */
const PREFIX = `test:worker-shutdown:${process.pid}:`;
const ENV = { REDIS_KEY_PREFIX: PREFIX };
const DEADLINE_MS = 2000;
const STALLED_AFTER_MS = 2000;
const ATTENDANCES = 600;
const CHILDREN = 20;
const BOTH_LAS = 10;
const CONCURRENCY = 16;

const queue = attendanceQueueKeys(PREFIX);
const inbox = (mailbox: string) => new Keys(PREFIX).inbox(mailbox);
const processes: HubProcess[] = [];
let file: string;
let redis: Redis;
let bull: Redis;
let queues: Record<QueueKind, Queue>;
let api: HubProcess;
let children: string[];

async function startWorker(): Promise<HubProcess> {
  const worker = await spawnHub(file, ENV, 'worker');
  processes.push(worker);
  return worker;
}

beforeAll(async () => {
  file = sampleConfigWith({
    concurrency: CONCURRENCY, stalledAfter: STALLED_AFTER_MS / 1000, shutdownDeadline: DEADLINE_MS / 1000, sweepEvery: 60, retry: { attempts: 8, baseDelay: 0.2, maxDelay: 2 },
  }, 'worker-shutdown');
  redis = new Redis(REDIS_URL);
  bull = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queues = openQueues(bull, PREFIX, memoryLogger());
  api = await spawnHub(file, ENV, 'api');
  processes.push(api);

  // Plans for the children, loaded by a worker that then stops with nothing in flight.
  children = nhsNumbers(CHILDREN);
  const worker = await startWorker();
  await loadPlans(api.url, children, BOTH_LAS);
  expect(await worker.stop('SIGTERM')).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop('SIGKILL');
  await Promise.all(Object.values(queues ?? {}).map((q) => q.close()));
  bull?.disconnect();
  redis?.disconnect();
  await deleteKeys(`${PREFIX}*`);
});

test.each(['SIGTERM', 'SIGINT'] as const)('%s with jobs in flight: the worker finishes them, exits 0 in time, and leaves the rest to the next', async (signal) => {
  const attendances: SentAttendance[] = Array.from({ length: ATTENDANCES }, (_, i) => ({
    attendanceId: `${signal}-${i}`,
    nhsNumber: children[i % CHILDREN],
    las: i % CHILDREN < BOTH_LAS ? ['706', '708'] : ['706'],
  }));
  const trust = meshClient(api.url, 'RR8PAS');
  // The worker is up and idle; the attendances queue while the queue is paused, so that
  // on resuming it works through a backlog, CONCURRENCY jobs at a time.
  const worker = await startWorker();
  await queues.attendance.pause();
  await inParallel(attendances, 8, async (a) => {
    await trust.send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(a.nhsNumber, a.attendanceId), localId: a.attendanceId });
  });
  expect(await redis.zcard(inbox('X26HUB'))).toBe(ATTENDANCES);
  expect(await redis.zcard(inbox('RR8PAS'))).toBe(0);
  await queues.attendance.resume();
  await waitFor(async () => (await redis.zcard(inbox('RR8PAS'))) >= 20 && (await redis.llen(queue.active)) > 0, 30_000,
    async () => `trust inbox ${await redis.zcard(inbox('RR8PAS'))}, active ${await redis.llen(queue.active)}`, 5);
  const signalled = Date.now();
  const code = await worker.stop(signal);
  const took = Date.now() - signalled;
  await outputClosed(worker);

  expect({ code, signal: worker.child.signalCode }).toEqual({ code: 0, signal: null });
  expect(took).toBeLessThan(DEADLINE_MS + 3000);
  const log = worker.output().split('\n');
  const stopping = log.findIndex((l) => l.includes('"stopping"') && l.includes(`"signal":"${signal}"`));
  expect(stopping).toBeGreaterThan(-1);
  expect(worker.output()).not.toContain('shutdown deadline passed');
  // It stopped taking work: after the signal, only jobs already in flight finished.
  const finishedAfter = log.slice(stopping).filter((l) => l.includes('"message processed"')).length;
  expect(finishedAfter).toBeLessThanOrEqual(CONCURRENCY);
  // In flight finished, not abandoned; the backlog left untouched; nothing half done
  // (a flag response sent for a message still waiting would make the sum exceed the total).
  // The hub's inbox also holds the notification orders of finished attendances: count attendances only.
  const attendancesWaiting = async () => (await redis.zrange(inbox('X26HUB'), 0, -1)).filter((id) => !id.includes(`_${orderSuffix('')}`)).length;
  const [active, done, waiting] = await Promise.all([redis.llen(queue.active), redis.zcard(inbox('RR8PAS')), attendancesWaiting()]);
  expect(active).toBe(0);
  expect(waiting).toBeGreaterThan(0);
  expect(done + waiting).toBe(ATTENDANCES);

  const next = await startWorker();
  await waitFor(async () => (await redis.zcard(inbox('X26HUB'))) === 0 && (await redis.zcard(inbox('RR8PAS'))) >= ATTENDANCES, 60_000,
    async () => `hub inbox ${await redis.zcard(inbox('X26HUB'))}, trust inbox ${await redis.zcard(inbox('RR8PAS'))}`);
  expect(await next.stop(signal)).toBe(0);

  const [flags, at706, at708] = await Promise.all([trust, meshClient(api.url, 'LA706CSC'), meshClient(api.url, 'LA708CSC')].map((m) => drain(m, 4)));
  expect(flags).toHaveLength(ATTENDANCES);
  expect(replyProblems(attendances, flags, { '706': at706, '708': at708 })).toEqual([]);
  expect(await redis.zcard(queue.failed)).toBe(0);
  console.log(`worker-shutdown ${signal}: ${done} done before the signal, ${finishedAfter} finished after it, ${waiting} left, exit after ${took} ms`);
}, 90_000);

test('a job still running at the shutdown deadline is released on time and taken again by the next worker', async () => {
  const prefix = `${PREFIX}in-process:`;
  const settings = { ...(loadConfig(file).cpis as CpisSettings), shutdownDeadline: 1000 };
  const log = memoryLogger();
  const plain = new Redis(REDIS_URL);
  const connections = [plain];
  const connect = () => { const c = new Redis(REDIS_URL, { maxRetriesPerRequest: null }); connections.push(c); return c; };
  const store = new RedisMailboxStore(plain, { undeliveredAfterMs: 3_600_000, deleteContentAfterMs: 3_600_000 }, new Keys(prefix));
  const attempts = new AttemptLog(plain, prefix);
  const own = openQueues(connect(), prefix, log);
  const workers = (handler: MessageHandler, connection = connect()) => new CpisWorkers({
    connection, keyPrefix: prefix, store, attempts, settings, log, notifyFailure: async () => undefined, handlers: { CPIS_ATTENDANCE: handler },
    maxMessageBytes: () => 1024 * 1024, durably: (writes) => writes(),
  });

  await store.send({ id: 'SLOW-1', from: 'RR8PAS', to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', type: 'DATA', totalChunks: 1 }, Buffer.from('<slow/>'), { sendOnceWindowMs: 0 });
  await new Arrivals(own, store, settings, log).enqueue('SLOW-1', 'CPIS_ATTENDANCE');
  let letGo = () => undefined as void;
  const held = new Promise<void>((resolve) => { letGo = resolve; });
  let began = () => undefined as void;
  const running = new Promise<void>((resolve) => { began = resolve; });
  const firstConnection = connect();
  const first = workers(async () => { began(); await held; }, firstConnection);
  let second: CpisWorkers | undefined;
  try {
    expect(await within(running, 10_000)).not.toBe('timeout');
    const stopping = Date.now();
    const outcome = await within(first.stop(settings.shutdownDeadline).then(() => 'stopped'), settings.shutdownDeadline + 4000);
    expect({ outcome, onTime: Date.now() - stopping < settings.shutdownDeadline + 1000 }).toEqual({ outcome: 'stopped', onTime: true });
    firstConnection.disconnect(); // as the process's exit after stop() would: its locks are no longer renewed

    const handled: string[] = [];
    second = workers(async (message) => { handled.push(message.id); });
    await waitFor(async () => (await store.get('X26HUB', 'SLOW-1'))?.status === 'acknowledged', 4 * STALLED_AFTER_MS + 5000, () => `handled ${handled.join()}`);
    expect(handled).toEqual(['SLOW-1']);
  } finally {
    letGo();
    await within(first.stop(1000), 3000);
    await second?.stop(1000);
    await Promise.all(Object.values(own).map((q) => q.close()));
    for (const c of connections) c.disconnect();
  }
}, 60_000);
