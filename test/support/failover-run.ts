import { expect } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeshClient } from '../../adapters/mesh-client/index.js';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { attendanceXml } from './cpis.js';
import { spawnHub, type HubProcess } from './hub-process.js';
import {
  inParallel, loadPlans, meshClient, nhsNumbers, replyProblems, sampleConfigWith, sleep, waitFor, type Collected, type SentAttendance,
} from './worker-processes.js';

/*
 * A Redis failover under load, counted as Jepsen's checkers count: while a trust streams
 * attendances over MESH and the trust and two LAs poll their inboxes, a Redis master is
 * SIGKILLed; a replica is promoted and the hub finds it by itself. Of the attendances the
 * hub acknowledged (202), how many flag responses and notifications were lost or came twice.
 * The Sentinel and Cluster tests run it, each with its own Redis.
 */
export const ATTENDANCES = 150;
const CHILDREN = 15; // 10 attendances each
const AT_708 = 5; // children 0-4 flagged by 706 and 708, the rest by 706 only
const SENDERS = 4;
const INBOXES = ['RR8PAS', 'LA706CSC', 'LA708CSC'] as const;
/** Long enough for every retry to end after a failover; short enough to keep the run within its timeout. */
const SETTLE_LIMIT_MS = 60_000;
/**
 * Sends stop after this, so a hub that stalls (as one did when ioredis's failover detector
 * ended its connection for good) fails the run in bounded time; what was never accepted is
 * reported, not waited for.
 */
const STREAM_LIMIT_MS = 90_000;

/** The Redis under test: the hub's `redis:` section for it, and how to kill its master. */
export interface FailingRedis {
  /** A name for the configuration file and key prefix. */
  name: string;
  section: Record<string, unknown>;
  /** SIGKILLs the master that matters to the run; resolves with its port. */
  killMaster(): Promise<number>;
  /** The port of the master that serves it now. */
  masterPort(): Promise<number>;
  /** What its servers say at the end of the run, printed with it. */
  describe?(): Promise<string>;
}

export interface Tally {
  acknowledged: number;
  /** Attendances lost at the hub: acknowledged, yet no flag response ever came. */
  lostIds: string[];
  lost: { flags: number; notifications: number };
  duplicated: { flags: number; notifications: number };
}

export interface Run {
  tally: Tally;
  problems: string[];
  /** /health/ready answers after the kill, in order. */
  readiness: boolean[];
  /** Messages still in the hub's inbox when the run stopped waiting (-1: it could not be read). */
  hubInboxLeft: number;
  /** Sends the hub refused or failed, by error code (HTTP_503, ECONNRESET, ...). */
  refusedSends: Record<string, number>;
  /** Where the hub's own log was written, to read after a run that went wrong. */
  hubLog: string;
  /** The hub's most frequent warnings and errors, for CI output, which keeps no files. */
  hubComplaints: string[];
  /** Lines of the hub's output that are not JSON log lines (a stack trace printed by a library). */
  unstructured: string[];
  /** The Redis servers' own account at the end (FailingRedis.describe), or ''. */
  redisState: string;
  killedPort: number;
  masterPort: number;
  seconds: number;
}

/** Starts the hub on `redis` with `replicaAcks`, streams, kills, and counts; the caller stops `hub` (set through `started`). */
export async function failoverRun(redis: FailingRedis, replicaAcks: number, started: (hub: HubProcess) => void): Promise<Run> {
  const startedAt = Date.now();
  const prefix = `test:${redis.name}:${process.pid}:${replicaAcks}:`;
  const file = sampleConfigWith({ stalledAfter: 2, sweepEvery: 1, retry: { attempts: 10, baseDelay: 0.2, maxDelay: 2 } }, `${redis.name}-${replicaAcks}`, {
    redis: { ...redis.section, replicaAcks, replicaAckTimeout: '1s' },
  });
  const hub = await spawnHub(file, { REDIS_URL: undefined, REDIS_KEY_PREFIX: prefix });
  started(hub);
  const url = hub.url;
  const children = nhsNumbers(CHILDREN);
  await loadPlans(url, children, AT_708);

  const las = (c: number) => ['706', ...(c < AT_708 ? ['708'] : [])];
  const attendances: SentAttendance[] = Array.from({ length: ATTENDANCES }, (_, i) => ({
    attendanceId: `FO-${i}`, nhsNumber: children[i % CHILDREN], las: las(i % CHILDREN),
  }));
  const collected = new Map<string, Collected[]>(INBOXES.map((id) => [id, []]));
  let streaming = true;
  let hubInboxLeft = -1;
  const pollers = INBOXES.map((id) => poll(meshClient(url, id), collected.get(id)!, () => streaming));

  const trust = meshClient(url, 'RR8PAS');
  let sent = 0;
  const refusedSends: Record<string, number> = {};
  const streamEnds = Date.now() + STREAM_LIMIT_MS;
  const stream = inParallel(attendances, SENDERS, async (a, i) => {
    await sleep(Math.random() * 150);
    const body = attendanceXml(a.nhsNumber, a.attendanceId, { viewedBy: { name: `Dr Failover ${i}`, role: 'Registrar' } });
    a.messageId = await sendUntilAccepted(trust, body, a.attendanceId, streamEnds, refusedSends);
    sent++;
  });
  const killer = (async () => {
    await waitFor(async () => sent >= ATTENDANCES / 3, 60_000, () => `${sent} sent`, 20);
    const killedPort = await redis.killMaster();
    return { killedPort, readiness: await watchReadiness(url, () => streaming) };
  })();
  try {
    await stream;
    hubInboxLeft = await settled(meshClient(url, 'X26HUB'), collected, SETTLE_LIMIT_MS);
  } finally {
    streaming = false;
  }
  await Promise.all(pollers);
  const { killedPort, readiness } = await killer;
  const hubLog = join(tmpdir(), `cpisx-failover-${redis.name}-${replicaAcks}-${process.pid}.log`);
  writeFileSync(hubLog, hub.output());

  const acknowledged = attendances.filter((a) => a.messageId !== undefined);
  const got = (id: string) => collected.get(id)!;
  const byLa = { '706': got('LA706CSC'), '708': got('LA708CSC') };
  return {
    tally: tally(acknowledged, got('RR8PAS'), byLa),
    problems: replyProblems(acknowledged, got('RR8PAS'), byLa),
    readiness,
    hubInboxLeft,
    refusedSends,
    hubLog,
    hubComplaints: complaints(hub.output()),
    unstructured: hub.output().split('\n').filter((line) => line.trim() && !isJson(line)),
    redisState: (await redis.describe?.()) ?? '',
    killedPort,
    masterPort: await redis.masterPort(),
    seconds: (Date.now() - startedAt) / 1000,
  };
}

/**
 * The hub's inbox empty and nothing new arriving for a few seconds, or the limit reached;
 * returns how many messages the hub's inbox still held. Without replicaAcks a failover
 * loses writes the hub had answered for, and what it leaves half done may wait on the
 * sweep or on retries longer than a test can: the count is reported, not waited for.
 */
async function settled(hubInbox: MeshClient, collected: Map<string, Collected[]>, limitMs: number): Promise<number> {
  let last = -1;
  let left = -1;
  let quietSince = Date.now();
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const total = [...collected.values()].reduce((n, got) => n + got.length, 0);
    if (total !== last) { last = total; quietSince = Date.now(); }
    left = await hubInbox.count().catch(() => -1);
    if (left === 0 && Date.now() - quietSince > 4000) break;
    await sleep(250);
  }
  return left;
}

/**
 * The trust's system resends after any failure with the same local id: a send refused
 * (503, its write not yet on a replica) or whose answer was lost may exist, and the hub
 * answers the repeat with the first message's id instead of a second message.
 */
async function sendUntilAccepted(
  trust: MeshClient, body: string, localId: string, streamEnds: number, refused: Record<string, number>,
): Promise<string | undefined> {
  const deadline = Math.min(Date.now() + 30_000, streamEnds);
  while (Date.now() < deadline) {
    try {
      return await trust.send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body, localId });
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'UNKNOWN';
      refused[code] = (refused[code] ?? 0) + 1;
      await sleep(200);
    }
  }
  return undefined; // never accepted: not counted as acknowledged
}

/**
 * Collects what arrives as a system polling its inbox does, riding through failures: a
 * message counts as received once its acknowledgement is answered; one whose download or
 * acknowledgement failed is still listed next time and taken again. An acknowledgement
 * refused with 503 (not yet on a replica) may still have taken the message out of the
 * inbox: such a message, downloaded and no longer listed, counts as received then.
 */
async function poll(mesh: MeshClient, into: Collected[], going: () => boolean): Promise<void> {
  const unanswered = new Map<string, Collected>();
  let last = false;
  do {
    last = !going();
    let ids: string[] | undefined = [];
    try {
      for await (const id of mesh.inboxIds({ maxResults: 5000 })) ids.push(id);
    } catch {
      ids = undefined; // a final listing that fails leaves the rest uncounted: the tally shows it
    }
    if (!ids) {
      await sleep(300);
      continue;
    }
    const listed = new Set(ids);
    for (const [id, m] of unanswered) {
      if (!listed.has(id)) { into.push(m); unanswered.delete(id); }
    }
    await inParallel(ids, 4, async (id) => {
      try {
        const m = unanswered.get(id) ?? collected(id, await mesh.download(id));
        unanswered.set(id, m);
        await mesh.acknowledge(id);
        unanswered.delete(id);
        into.push(m);
      } catch {
        // taken again on the next round
      }
    });
    await sleep(300);
  } while (!last);
}

function collected(id: string, m: Awaited<ReturnType<MeshClient['download']>>): Collected {
  return { id, workflowId: m.headers.workflowId ?? '', messageType: m.headers.messageType, localId: m.headers.localId, body: m.body };
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

function isJson(line: string): boolean {
  try { JSON.parse(line); return true; } catch { return false; }
}

/** The hub's warn and error lines, counted by message and reason, most frequent first (job ids cut off). */
export function complaints(output: string, top = 8): string[] {
  const counts = new Map<string, number>();
  for (const line of output.split('\n')) {
    let entry: { level?: string; message?: string; reason?: string; error?: string; code?: string };
    try { entry = JSON.parse(line); } catch { continue; }
    if (entry.level !== 'warn' && entry.level !== 'error') continue;
    const key = `${entry.message}: ${String(entry.reason ?? entry.error ?? entry.code ?? '').replace(/job \S+/, 'job …').slice(0, 90)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, n]) => `${n}× ${key}`);
}

/** A replica took over, the hub said ready again once it had, refused sends meanwhile only as unavailable, and logged JSON lines throughout. */
export function expectFailedOver(run: Run): void {
  expect(run.masterPort).not.toBe(run.killedPort);
  expect(run.readiness.at(-1)).toBe(true);
  expect(run.unstructured.slice(0, 5)).toEqual([]); // log shippers read JSON lines, outage or not
  expect(run.refusedSends).not.toHaveProperty('500'); // a failover is "unavailable, try again" (503), never an internal error
}

/** What replicaAcks promises: every attendance acknowledged and answered, each notification sent, none twice; not ready while there was no master. */
export function expectNothingLost(run: Run): void {
  expect(run.tally).toEqual({ acknowledged: ATTENDANCES, lostIds: [], lost: { flags: 0, notifications: 0 }, duplicated: { flags: 0, notifications: 0 } });
  expect(run.problems).toEqual([]);
  expect(run.hubInboxLeft).toBe(0);
  expect(run.readiness).toContain(false);
}

export function describeRun(run: Run): string {
  const { tally: t } = run;
  return `${t.acknowledged} of ${ATTENDANCES} attendances acknowledged; lost ${t.lost.flags} flag responses and ${t.lost.notifications} notifications; `
    + `duplicated ${t.duplicated.flags} flag responses and ${t.duplicated.notifications} notifications; `
    + `${t.lostIds.length ? `attendances lost: ${t.lostIds.join(' ')}; ` : ''}`
    + `${run.hubInboxLeft} left in the hub's inbox; master ${run.killedPort} killed, ${run.masterPort} promoted; not ready for ${run.readiness.filter((r) => !r).length} probes (100 ms apart); `
    + `sends refused ${JSON.stringify(run.refusedSends)}; ${run.seconds.toFixed(1)} s; hub log ${run.hubLog}\n`
    + `the hub's warnings and errors:\n  ${run.hubComplaints.join('\n  ')}`
    + (run.redisState ? `\nRedis at the end:\n  ${run.redisState}` : '');
}
