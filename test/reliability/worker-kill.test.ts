import { Redis } from 'ioredis';
import { rootOf } from '../../engine/cpis/recognise.js';
import { RegisterKeys } from '../../engine/register/keys.js';
import { RedisRegister } from '../../engine/register/redis-register.js';
import { attendanceXml } from '../support/cpis.js';
import { deleteKeys, REDIS_URL } from '../support/hub.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import {
  attendanceQueueKeys, drain, inParallel, loadPlans, meshClient, nhsNumbers, replyProblems, sampleConfigWith, sleep, waitFor, type SentAttendance,
} from '../support/worker-processes.js';

/*
 * The issue's reliability check: a stream of attendances for flagged children while the
 * worker process is SIGKILLed at random moments and restarted. Every attendance must end
 * with exactly one flag response and one notification per responsible LA, in its dialect:
 * LA 709's system speaks the national documents, so its plans come as a national upload
 * and its notifications as CP-ISAccessToServiceNotification.
 */
const PREFIX = `test:worker-kill:${process.pid}:`;
const ENV = { REDIS_KEY_PREFIX: PREFIX };
const ATTENDANCES = 1000;
const CHILDREN = 50; // 20 attendances each: all fit in the 25 accesses kept per child
// Every child is flagged by 706; children 0-9 also by 708, children 5-14 also by 709 (national):
// 0-4 by 706 and 708, 5-9 by all three, 10-14 by 706 and 709, the rest by 706 only.
const AT_708 = 10;
const AT_709 = { from: 5, to: 15 };
const SENDERS = 8;
const MAX_KILLS = 8;

const queue = attendanceQueueKeys(PREFIX);
const processes: HubProcess[] = [];
let redis: Redis;
let api: HubProcess;
let worker: HubProcess;
let restart: () => Promise<void>;

beforeAll(async () => {
  const file = sampleConfigWith({ stalledAfter: 2, sweepEvery: 2, retry: { attempts: 8, baseDelay: 0.2, maxDelay: 2 } }, 'worker-kill');
  redis = new Redis(REDIS_URL);
  api = await spawnHub(file, ENV, 'api');
  processes.push(api);
  worker = await spawnHub(file, ENV, 'worker');
  processes.push(worker);
  restart = async () => {
    worker = await spawnHub(file, ENV, 'worker');
    processes.push(worker);
  };
}, 60_000);

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop('SIGKILL');
  redis?.disconnect();
  await deleteKeys(`${PREFIX}*`);
});

interface Kill {
  pid: number;
  at: number;
  /** Attendances sent when the worker died. */
  sentBefore: number;
  /** Jobs left in BullMQ's active list by the dead worker: in flight when it died. */
  orphaned: string[];
}

test('SIGKILLing the worker during 1,000 attendances loses nothing and doubles nothing', async () => {
  const started = Date.now();
  const children = nhsNumbers(CHILDREN);
  await loadPlans(api.url, children, AT_708, children.slice(AT_709.from, AT_709.to));

  const las = (c: number) => ['706', ...(c < AT_708 ? ['708'] : []), ...(c >= AT_709.from && c < AT_709.to ? ['709'] : [])];
  const attendances: SentAttendance[] = Array.from({ length: ATTENDANCES }, (_, i) => ({
    attendanceId: `ATT-${i}`,
    nhsNumber: children[i % CHILDREN],
    las: las(i % CHILDREN),
  }));

  const trust = meshClient(api.url, 'RR8PAS');
  let sent = 0;
  let streamEnd = 0;
  const stream = inParallel(attendances, SENDERS, async (a, i) => {
    await sleep(Math.random() * 400); // about 30 s in all: room for the kills and restarts
    const body = attendanceXml(a.nhsNumber, a.attendanceId, { viewedBy: { name: `Dr Test ${i}`, role: 'Registrar' } });
    a.messageId = await trust.send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body, localId: a.attendanceId });
    sent++;
  }).then(() => { streamEnd = Date.now(); });

  // Kill at random moments (aiming at one with jobs in flight) until three kills have
  // caught jobs in flight, at most MAX_KILLS times, and only while the stream runs.
  const kills: Kill[] = [];
  const killer = (async () => {
    while (kills.filter((k) => k.orphaned.length > 0).length < 3 && kills.length < MAX_KILLS && !streamEnd) {
      await sleep(300 + Math.random() * 1200);
      await waitFor(async () => (await redis.llen(queue.active)) > 0, 5_000, () => 'no job active', 5).catch(() => undefined);
      const victim = worker;
      await victim.stop('SIGKILL');
      expect(victim.child.signalCode).toBe('SIGKILL');
      kills.push({ pid: victim.child.pid!, at: Date.now(), sentBefore: sent, orphaned: await redis.lrange(queue.active, 0, -1) });
      await restart();
    }
  })();
  await Promise.all([stream, killer]);

  // Everything answered: the hub's inbox empty and a flag response for each attendance.
  const hub = meshClient(api.url, 'X26HUB');
  await waitFor(async () => (await hub.count()) === 0 && (await trust.count()) >= ATTENDANCES, 120_000,
    async () => `hub inbox ${await hub.count()}, trust inbox ${await trust.count()}`, 500);

  const [flags, at706, at708, at709] = await Promise.all(
    [trust, ...['LA706CSC', 'LA708CSC', 'LA709CSC'].map((id) => meshClient(api.url, id))].map((m) => drain(m, 4)));
  expect(flags).toHaveLength(ATTENDANCES);
  expect(at706).toHaveLength(ATTENDANCES);
  expect(at708).toHaveLength(ATTENDANCES * AT_708 / CHILDREN);
  expect(at709).toHaveLength(ATTENDANCES * (AT_709.to - AT_709.from) / CHILDREN);
  expect(at709.map((m) => rootOf(m.body)?.name)).toEqual(at709.map(() => 'CP-ISAccessToServiceNotification'));
  expect(replyProblems(attendances, flags, { '706': at706, '708': at708, '709': at709 })).toEqual([]);

  // The worker really died mid-stream, each time a different process, with jobs in flight.
  expect(new Set(kills.map((k) => k.pid)).size).toBe(kills.length);
  for (const k of kills) {
    expect(k.at).toBeLessThan(streamEnd);
    expect(k.sentBefore).toBeLessThan(ATTENDANCES);
  }
  const orphaned = kills.flatMap((k) => k.orphaned);
  expect(kills.filter((k) => k.orphaned.length > 0).length).toBeGreaterThanOrEqual(3);
  // Each job the dead workers held was taken again by the stalled-job check and completed.
  for (const id of orphaned) {
    const [stalled, completed] = await Promise.all([redis.hget(queue.job(id), 'stc'), redis.zscore(queue.completed, id)]);
    expect({ id, stalled: Number(stalled) >= 1, completed: completed !== null }).toEqual({ id, stalled: true, completed: true });
  }
  expect(await redis.zcard(queue.failed)).toBe(0);

  // Each access recorded once, none lost (names differ, so none is a same-author repeat).
  const register = new RedisRegister(redis, { keys: new RegisterKeys(PREFIX) });
  for (const [c, nhsNumber] of children.entries()) {
    const ids = (await register.accesses(nhsNumber)).map((a) => a.attendanceId).sort();
    const want = attendances.filter((a) => a.nhsNumber === nhsNumber).map((a) => a.attendanceId).sort();
    expect({ child: c, ids }).toEqual({ child: c, ids: want });
  }
  console.log(`worker-kill: ${kills.length} kills at ${kills.map((k) => `${k.sentBefore} sent/${k.orphaned.length} in flight`).join(', ')}; `
    + `stream ${((streamEnd - started) / 1000).toFixed(1)} s, all done ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 180_000);
