import { randomUUID } from 'node:crypto';
import { buildDmsQuery } from '../../engine/cpis/dms/query.js';
import { client, collect, LA706, LA708, LA709, nationalPlanFile, nationalRecord, planRecord, SAMPLE_CONFIG, uploadPlans } from '../support/cpis.js';
import { deleteKeys } from '../support/hub.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { auditEventPath, careTeamPath, dmsQuery, fhirGet, hl7v3Post, queryToken } from '../support/query.js';
import { until } from '../support/wait.js';
import { nhsNumbers } from '../support/worker-processes.js';

/**
 * The point-of-care query against the hub as a real process (engine/main.ts), the LAs' MESH
 * inboxes read as the LAs read them: a flagged child with open plans at two LAs and a plan
 * ended months ago at a third.
 */
const prefix = `test:e2e-query:${randomUUID().slice(0, 8)}:`;
const MAILBOXES = { [LA706.ods]: 'LA706CSC', [LA708.ods]: 'LA708CSC', [LA709.ods]: 'LA709CSC' };
let hub: HubProcess;
let token: string;
let child: string;

beforeAll(async () => {
  hub = await spawnHub(SAMPLE_CONFIG, { REDIS_KEY_PREFIX: prefix });
  [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  await uploadPlans(hub, LA708, 'LA708CSC', [planRecord(child, { type: 'LAC' })]);
  const bradford = client(hub, 'LA709CSC');
  const [start, end] = [200, 30].map((days) => `${new Date(Date.now() - days * 24 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '')}0900`);
  await bradford.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: nationalPlanFile(LA709, 'E2EQ1', [nationalRecord(child, { plans: [{ type: 'CPP', start, end }] })]), localId: `e2e-query-${child}` });
  expect(await collect(bradford, 1)).toHaveLength(1); // its FileResponse
  token = await queryToken(hub);
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await deleteKeys(`${prefix}*`);
});

/**
 * What each LA's inbox holds once the hub has carried out every order it made (its own inbox
 * is empty: each order has become the LA's message), each read and acknowledged.
 */
async function toldEachLa(): Promise<Record<string, number>> {
  const own = client(hub, 'X26HUB');
  await until(async () => ((await own.count()) === 0 ? true : undefined), 20_000, 100);
  const told: Record<string, number> = {};
  for (const [ods, mailbox] of Object.entries(MAILBOXES)) told[ods] = (await collect(client(hub, mailbox), 0)).length;
  return told;
}

test('unscheduled CareTeam retried three times under one X-Request-ID: one notification to each LA with an open plan', async () => {
  const retry = { 'X-Request-ID': `e2e-${child}` };
  for (let i = 0; i < 3; i++) {
    const answer = await fhirGet(hub, careTeamPath(child), token, retry);
    expect([answer.status, answer.body.total]).toEqual([200, 3]);
  }
  expect(await toldEachLa()).toEqual({ [LA706.ods]: 1, [LA708.ods]: 1, [LA709.ods]: 0 });
});

test('a scheduled read: the plans, nobody told, nothing added to the history', async () => {
  const silent = await fhirGet(hub, careTeamPath(child), token, { IsUnscheduledAccessEvent: 'false', 'X-Request-ID': `e2e-silent-${child}` });
  expect([silent.status, silent.body.total]).toEqual([200, 3]);
  expect(await toldEachLa()).toEqual({ [LA706.ods]: 0, [LA708.ods]: 0, [LA709.ods]: 0 });
  expect((await fhirGet(hub, auditEventPath(child), token)).body.total).toBe(1); // the first test's look only
});

test('the HL7 v3 query: REPC_IN000007GB01 with a record per LA, and the look told as the FHIR one is', async () => {
  const answer = await hl7v3Post(hub, buildDmsQuery(dmsQuery({ nhsNumber: child })), token);
  expect(answer.status).toBe(200);
  expect(answer.xml).toContain('<REPC_IN000007GB01');
  expect(answer.xml.split('<pertinentCP-ISRecordControlAct>').length - 1).toBe(3);
  expect(answer.xml).toMatch(/<queryResponseCode code="OK"\/>/);
  expect(await toldEachLa()).toEqual({ [LA706.ods]: 1, [LA708.ods]: 1, [LA709.ods]: 0 });
});
