import type { MeshClient } from '../../adapters/mesh-client/index.js';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { attendanceXml } from '../support/cpis.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { GROUP_NAME, startSentinelGroup, type SentinelGroup } from '../support/sentinel-group.js';
import {
  inParallel, loadPlans, meshClient, nhsNumbers, replyProblems, sampleConfigWith, sleep, waitFor, type Collected, type SentAttendance,
} from '../support/worker-processes.js';

/*
 * Sentinel failover under load, counted as Jepsen's checkers count: while a trust streams
 * attendances and the trust and two LAs poll their inboxes, the Redis master is SIGKILLed;
 * the sentinels promote a replica and the hub finds it by itself. Of the attendances the
 * hub acknowledged (202), how many flag responses and notifications were lost or came twice.
 * With replicaAcks 1 none may be; without it the losses are measured and printed.
 */
const ATTENDANCES = 150;
const CHILDREN = 15; // 10 attendances each
const AT_708 = 5; // children 0-4 flagged by 706 and 708, the rest by 706 only
const SENDERS = 4;
const INBOXES = ['RR8PAS', 'LA706CSC', 'LA708CSC'] as const;

let group: SentinelGroup | undefined;
let hub: HubProcess | undefined;

afterEach(async () => {
  await hub?.stop('SIGKILL');
  await group?.stop();
  hub = undefined;
  group = undefined;
});

interface Tally {
  acknowledged: number;
  /** Attendances lost at the hub: acknowledged, yet no flag response ever came. */
  lostIds: string[];
  lost: { flags: number; notifications: number };
  duplicated: { flags: number; notifications: number };
}

interface Run {
  tally: Tally;
  problems: string[];
  /** /health/ready answers after the kill, in order. */
  readiness: boolean[];
  killedPort: number;
  masterPort: number;
  seconds: number;
}

test('with replicaAcks 1, a master SIGKILLed mid-stream loses no flag or notification and doubles none', async () => {
  const run = await failover(1);
  console.log(`sentinel-failover, replicaAcks 1: ${describe(run)}`);
  expect(run.masterPort).not.toBe(run.killedPort);
  expect(run.tally).toEqual({ acknowledged: ATTENDANCES, lostIds: [], lost: { flags: 0, notifications: 0 }, duplicated: { flags: 0, notifications: 0 } });
  expect(run.problems).toEqual([]);
  // Not ready while there was no master, ready again once a replica was promoted.
  expect(run.readiness).toContain(false);
  expect(run.readiness.at(-1)).toBe(true);
}, 150_000);

test('without replicaAcks the same failover is measured and reported', async () => {
  const run = await failover(0);
  console.log(`sentinel-failover, replicaAcks 0 (asynchronous replication): ${describe(run)}`);
  expect(run.masterPort).not.toBe(run.killedPort);
  expect(run.readiness.at(-1)).toBe(true);
}, 150_000);

async function failover(replicaAcks: number): Promise<Run> {
  const started = Date.now();
  group = await startSentinelGroup();
  const prefix = `test:sentinel:${process.pid}:${replicaAcks}:`;
  const file = sampleConfigWith({ stalledAfter: 2, sweepEvery: 1, retry: { attempts: 10, baseDelay: 0.2, maxDelay: 2 } }, `sentinel-${replicaAcks}`, {
    redis: { sentinels: { nodes: group.sentinels, name: GROUP_NAME }, replicaAcks, replicaAckTimeout: '1s' },
  });
  hub = await spawnHub(file, { REDIS_URL: undefined, REDIS_KEY_PREFIX: prefix });
  const url = hub.url;
  const children = nhsNumbers(CHILDREN);
  await loadPlans(url, children, AT_708);

  const las = (c: number) => ['706', ...(c < AT_708 ? ['708'] : [])];
  const attendances: SentAttendance[] = Array.from({ length: ATTENDANCES }, (_, i) => ({
    attendanceId: `FO-${i}`, nhsNumber: children[i % CHILDREN], las: las(i % CHILDREN),
  }));
  const collected = new Map<string, Collected[]>(INBOXES.map((id) => [id, []]));
  let streaming = true;
  const pollers = INBOXES.map((id) => poll(meshClient(url, id), collected.get(id)!, () => streaming));

  const trust = meshClient(url, 'RR8PAS');
  let sent = 0;
  const stream = inParallel(attendances, SENDERS, async (a, i) => {
    await sleep(Math.random() * 150);
    const body = attendanceXml(a.nhsNumber, a.attendanceId, { viewedBy: { name: `Dr Failover ${i}`, role: 'Registrar' } });
    a.messageId = await sendUntilAccepted(trust, body, a.attendanceId);
    sent++;
  });
  const killer = (async () => {
    await waitFor(async () => sent >= ATTENDANCES / 3, 60_000, () => `${sent} sent`, 20);
    const killedPort = await group!.killMaster();
    return { killedPort, readiness: await watchReadiness(url, () => streaming) };
  })();
  try {
    await stream;
    await settled(meshClient(url, 'X26HUB'), collected);
  } finally {
    streaming = false;
  }
  await Promise.all(pollers);
  const { killedPort, readiness } = await killer;

  const acknowledged = attendances.filter((a) => a.messageId !== undefined);
  const got = (id: string) => collected.get(id)!;
  const byLa = { '706': got('LA706CSC'), '708': got('LA708CSC') };
  return {
    tally: tally(acknowledged, got('RR8PAS'), byLa),
    problems: replyProblems(acknowledged, got('RR8PAS'), byLa),
    readiness,
    killedPort,
    masterPort: await group.masterPort(),
    seconds: (Date.now() - started) / 1000,
  };
}

/** The hub's inbox empty and nothing new arriving for a few seconds. */
async function settled(hubInbox: MeshClient, collected: Map<string, Collected[]>): Promise<void> {
  let last = -1;
  let quietSince = Date.now();
  await waitFor(async () => {
    const total = [...collected.values()].reduce((n, got) => n + got.length, 0);
    if (total !== last) { last = total; quietSince = Date.now(); }
    const empty = await hubInbox.count().then((n) => n === 0, () => false);
    return empty && Date.now() - quietSince > 4000;
  }, 90_000, () => `${last} collected`, 250);
}

/**
 * The trust's system resends after any failure with the same local id: a send refused
 * (503, its write not yet on a replica) or whose answer was lost may exist, and the hub
 * answers the repeat with the first message's id instead of a second message.
 */
async function sendUntilAccepted(trust: MeshClient, body: string, localId: string): Promise<string | undefined> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      return await trust.send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body, localId });
    } catch {
      await sleep(200);
    }
  }
  return undefined; // never accepted: not counted as acknowledged
}

/**
 * Collects what arrives as a system polling its inbox does, riding through failures: a
 * message counts as received once its acknowledgement is answered; one whose download or
 * acknowledgement failed is still listed next time and taken again.
 */
async function poll(mesh: MeshClient, into: Collected[], going: () => boolean): Promise<void> {
  let last = false;
  do {
    last = !going();
    const ids: string[] = [];
    try {
      for await (const id of mesh.inboxIds({ maxResults: 5000 })) ids.push(id);
    } catch {
      if (last) throw new Error('the final listing failed');
    }
    await inParallel(ids, 4, async (id) => {
      try {
        const m = await mesh.download(id);
        await mesh.acknowledge(id);
        into.push({ id, workflowId: m.headers.workflowId ?? '', messageType: m.headers.messageType, localId: m.headers.localId, body: m.body });
      } catch {
        // taken again on the next round
      }
    });
    await sleep(300);
  } while (!last);
}

/** /health/ready every 100 ms from the kill until it has said ready for a second after saying not ready. */
async function watchReadiness(url: string, going: () => boolean): Promise<boolean[]> {
  const answers: boolean[] = [];
  let readyFor = 0;
  while (going() && readyFor < 10) {
    const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) }).then((r) => r.status === 200, () => false);
    answers.push(ready);
    readyFor = ready && answers.includes(false) ? readyFor + 1 : 0;
    await sleep(100);
  }
  return answers;
}

/** Per acknowledged attendance: its flag responses and its notifications at each responsible LA, 0 lost, more than 1 duplicated. */
function tally(acknowledged: readonly SentAttendance[], flags: readonly Collected[], byLa: Record<string, readonly Collected[]>): Tally {
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const flagCounts = count(flags.flatMap((m) => { const r = parseFlagResponse(m.body); return r.ok ? [r.value.attendanceId] : []; }));
  const noticeCounts = count(Object.entries(byLa).flatMap(([la, notices]) => notices.flatMap((m) => {
    const r = parseAccessNotification(m.body);
    return r.ok ? [`${r.value.attendanceId}@${la}`] : [];
  })));
  const result: Tally = { acknowledged: acknowledged.length, lostIds: acknowledged.filter((a) => !flagCounts.has(a.attendanceId)).map((a) => a.attendanceId), lost: { flags: 0, notifications: 0 }, duplicated: { flags: 0, notifications: 0 } };
  const add = (kind: 'flags' | 'notifications', n: number) => {
    if (n === 0) result.lost[kind]++;
    if (n > 1) result.duplicated[kind] += n - 1;
  };
  for (const a of acknowledged) {
    add('flags', flagCounts.get(a.attendanceId) ?? 0);
    for (const la of a.las) add('notifications', noticeCounts.get(`${a.attendanceId}@${la}`) ?? 0);
  }
  return result;
}

function describe(run: Run): string {
  const { tally: t } = run;
  return `${t.acknowledged} of ${ATTENDANCES} attendances acknowledged; lost ${t.lost.flags} flag responses and ${t.lost.notifications} notifications; `
    + `duplicated ${t.duplicated.flags} flag responses and ${t.duplicated.notifications} notifications; `
    + `${t.lostIds.length ? `attendances lost: ${t.lostIds.join(' ')}; ` : ''}`
    + `master ${run.killedPort} killed, ${run.masterPort} promoted; not ready for ${run.readiness.filter((r) => !r).length} probes (100 ms apart); ${run.seconds.toFixed(1)} s`;
}
