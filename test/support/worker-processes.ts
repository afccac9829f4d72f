import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { queryId } from '../../engine/cpis/dms/access-notification.js';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { bullPrefix, QUEUE_NAMES } from '../../engine/pipeline/queues.js';
import { parsePlanUpdateAck } from '../../engine/cpis/xml/plan-update-ack.js';
import { collect, LA706, LA708, LA709, nationalPlanFile, nationalRecord, PASSWORDS, planFile, planRecord, SAMPLE_CONFIG } from './cpis.js';
import type { HubProcess } from './hub-process.js';
import { readFileResponse, readNationalAccess } from './national-documents.js';

export { sleep, waitFor, within } from './wait.js';
export { nhsNumbers } from '../../scripts/sample-exchange.js';



/** A temporary copy of the sample configuration with `cpis` settings changed (and top-level sections set); returns its path. */
export function sampleConfigWith(cpis: Record<string, unknown>, name: string, sections: Record<string, unknown> = {}): string {
  const config = parse(readFileSync(SAMPLE_CONFIG, 'utf8')) as { cpis: Record<string, unknown> };
  Object.assign(config, sections);
  config.cpis = { ...config.cpis, ...cpis };
  const file = join(mkdtempSync(join(tmpdir(), 'cpisx-')), `${name}.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}


/** Waits until a process that has exited has also closed its output, so `output()` is all of it. */
export async function outputClosed(p: HubProcess): Promise<void> {
  await Promise.all([p.child.stdout!, p.child.stderr!].map((s) => (s.closed ? undefined : once(s, 'close'))));
}

/** A MESH client for a hub started as a process. */
export function meshClient(url: string, mailboxId: string): MeshClient {
  return new MeshClient({ baseUrl: url, mailboxId, password: PASSWORDS[mailboxId], sharedKey: 'TestKey', retry: { attempts: 3, baseDelayMs: 50 } });
}

/** Runs `task` on every item, at most `limit` at a time. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i], i);
    }
  }));
}


export interface Collected {
  id: string;
  workflowId: string;
  messageType: string;
  localId?: string;
  body: Buffer;
}

/** Downloads and acknowledges everything in a mailbox, `parallel` at a time. */
export async function drain(mesh: MeshClient, parallel = 8): Promise<Collected[]> {
  const ids: string[] = [];
  for await (const id of mesh.inboxIds({ maxResults: 5000 })) ids.push(id);
  const got: Collected[] = [];
  await inParallel(ids, parallel, async (id) => {
    const m = await mesh.download(id);
    await mesh.acknowledge(id);
    got.push({ id, workflowId: m.headers.workflowId ?? '', messageType: m.headers.messageType, localId: m.headers.localId, body: m.body });
  });
  return got;
}

/** Redis keys of the attendance queue under a hub's key prefix (BullMQ layout). */
export function attendanceQueueKeys(prefix: string) {
  const base = `${bullPrefix(prefix)}:${QUEUE_NAMES.attendance}`;
  return { active: `${base}:active`, completed: `${base}:completed`, failed: `${base}:failed`, job: (id: string) => `${base}:${id}` };
}

export interface SentAttendance {
  attendanceId: string;
  nhsNumber: string;
  /** ODS codes of the LAs with an open plan for the child. */
  las: string[];
  /** Its MESH message id: a national notification names the attendance by a query id derived from it. */
  messageId?: string;
}

/**
 * Checks the hub's answers to `sent`: exactly one flag response per attendance, naming
 * the child and the responsible LAs, and exactly one access notification at each
 * responsible LA, none elsewhere: our `accessNotification` or, at an LA on the national
 * documents, a `CP-ISAccessToServiceNotification` (told apart by root element), which names
 * the attendance by its query id. Returns every problem found (empty when all is well).
 */
export function replyProblems(sent: readonly SentAttendance[], trust: readonly Collected[], byLa: Record<string, readonly Collected[]>): string[] {
  const problems: string[] = [];
  const expected = new Map(sent.map((s) => [s.attendanceId, s]));
  const byQuery = new Map(sent.filter((s) => s.messageId).map((s) => [queryId(s.messageId!), s]));
  const flags = new Map<string, number>();
  for (const m of trust) {
    if (m.messageType !== 'DATA' || m.workflowId !== 'CPIS_ATTENDANCE_RESPONSE') { problems.push(`trust got ${m.messageType} ${m.workflowId} ${m.id}`); continue; }
    const parsed = parseFlagResponse(m.body);
    if (!parsed.ok) { problems.push(`unreadable flag response ${m.id}`); continue; }
    const { attendanceId, nhsNumber, plans } = parsed.value;
    flags.set(attendanceId, (flags.get(attendanceId) ?? 0) + 1);
    const want = expected.get(attendanceId);
    if (!want) { problems.push(`flag response for unknown attendance ${attendanceId}`); continue; }
    const las = [...new Set(plans.map((p) => p.la.ods))].sort();
    if (nhsNumber !== want.nhsNumber || las.join() !== [...want.las].sort().join() || m.localId !== attendanceId) {
      problems.push(`flag response for ${attendanceId} names ${nhsNumber} / LAs ${las.join()} / localId ${m.localId}`);
    }
  }
  const notices = new Map<string, string[]>();
  for (const [la, messages] of Object.entries(byLa)) {
    for (const m of messages) {
      if (m.messageType !== 'DATA' || m.workflowId !== 'CPIS_ACCESS_NOTIFICATION') { problems.push(`LA ${la} got ${m.messageType} ${m.workflowId} ${m.id}`); continue; }
      const national = readNationalAccess(m.body);
      if (national) {
        const attendance = byQuery.get(national.queryIds[0]);
        if (!attendance) { problems.push(`national notification ${m.id} at ${la} for unknown query ${national.queryIds[0]}`); continue; }
        const { attendanceId, nhsNumber } = attendance;
        if (national.queryIds.some((q) => q !== national.queryIds[0]) || national.nhsNumbers.some((n) => n !== nhsNumber) || national.la !== la) {
          problems.push(`national notification for ${attendanceId} at ${la} names queries ${national.queryIds.join()} / children ${national.nhsNumbers.join()} / LA ${national.la}`);
        }
        notices.set(attendanceId, [...(notices.get(attendanceId) ?? []), la]);
        continue;
      }
      const parsed = parseAccessNotification(m.body);
      if (!parsed.ok) { problems.push(`unreadable notification ${m.id}`); continue; }
      const { attendanceId, subject } = parsed.value;
      if (expected.get(attendanceId)?.nhsNumber !== subject.nhsNumber) problems.push(`notification for ${attendanceId} at ${la} names another child`);
      notices.set(attendanceId, [...(notices.get(attendanceId) ?? []), la]);
    }
  }
  for (const s of sent) {
    const count = flags.get(s.attendanceId) ?? 0;
    if (count !== 1) problems.push(`${s.attendanceId}: ${count} flag responses`);
    const got = (notices.get(s.attendanceId) ?? []).sort().join();
    if (got !== [...s.las].sort().join()) problems.push(`${s.attendanceId}: notifications at [${got}], expected [${[...s.las].sort().join()}]`);
  }
  for (const id of notices.keys()) if (!expected.has(id)) problems.push(`notification for unknown attendance ${id}`);
  return problems;
}

/**
 * Loads plans through the API: every child from LA 706 (CPP), the first `bothLas`
 * also from LA 708 (LAC), and the `national` children also from LA 709 (CPP), whose
 * system sends the national upload (`File`). Resolves once every acknowledgement says CPF02.
 */
export async function loadPlans(apiUrl: string, children: readonly string[], bothLas: number, national: readonly string[] = []): Promise<void> {
  const la706 = meshClient(apiUrl, 'LA706CSC');
  const la708 = meshClient(apiUrl, 'LA708CSC');
  await la706.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA706, 1, children.map((n) => planRecord(n))), localId: 'plans-706' });
  await la708.send({
    to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', localId: 'plans-708',
    body: planFile(LA708, 1, children.slice(0, bothLas).map((n) => planRecord(n, { type: 'LAC' }))),
  });
  for (const [la, records] of [[la706, children.length], [la708, bothLas]] as const) {
    const acks = await collect(la, 1, 30_000);
    expect(acks).toHaveLength(1);
    const ack = parsePlanUpdateAck(acks[0].body);
    expect(ack.ok && ack.value).toMatchObject({ status: 'CPF02', recordsProcessed: records });
  }
  if (national.length === 0) return;
  const la709 = meshClient(apiUrl, 'LA709CSC');
  await la709.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', localId: 'plans-709', body: nationalPlanFile(LA709, '1', national.map((n) => nationalRecord(n))) });
  const acks = await collect(la709, 1, 30_000);
  expect(acks.map((a) => readFileResponse(a.body))).toEqual([{ fileId: '1', status: 'CPF02' }]);
}
