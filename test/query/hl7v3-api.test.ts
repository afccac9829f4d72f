import { randomUUID } from 'node:crypto';
import { buildDmsQuery, parseDmsQuery, type DmsQuery } from '../../engine/cpis/dms/query.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import { client, collect, drainedInbox, LA706, LA708, LA709, nationalPlanFile, nationalRecord, planRecord, startCpisHub, uploadPlans } from '../support/cpis.js';
import { QueryAudit, type QueryAuditEntry } from '../../engine/query/query-audit.js';
import { testRedis, type TestHub } from '../support/hub.js';
import { dmsQuery, hl7v3Post, QUERY_CLIENTS, queryToken } from '../support/query.js';

/** The national query over HTTP against the real hub: the same register, the same side effects. */
let hub: TestHub;
let token: string;
let sequence = 300;
let person: DmsQuery;
beforeAll(async () => {
  hub = await startCpisHub();
  token = await queryToken(hub);
  const parsed = parseDmsQuery(buildDmsQuery(dmsQuery()));
  if (!parsed.ok) throw new Error(parsed.error.message);
  person = parsed.value;
});
afterAll(() => hub.stop());

async function ask(query: Partial<DmsQuery>, bearer: string | null = token, headers: Record<string, string> = {}) {
  const answer = await hl7v3Post(hub, buildDmsQuery({ ...person, messageId: randomUUID().toUpperCase(), ...query }), bearer ?? undefined, headers);
  return { ...answer, type: answer.headers.get('content-type') };
}

async function auditOf(clientId: string): Promise<QueryAuditEntry[]> {
  const redis = testRedis();
  return new QueryAudit(redis, hub.keyPrefix).list({ client: clientId }).finally(() => redis.disconnect());
}

const count = (xml: string, element: string) => xml.split(`<${element}>`).length - 1;

test('a flagged person: REPC_IN000007GB01 with the records grouped per LA and the asker\'s own access', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  await uploadPlans(hub, LA708, 'LA708CSC', [planRecord(child, { type: 'LAC' })]);
  const answer = await ask({ nhsNumber: child });
  expect(answer.status).toBe(200);
  expect(answer.type).toMatch(/^application\/xml/);
  expect(answer.xml).toContain('<REPC_IN000007GB01');
  expect(count(answer.xml, 'pertinentCP-ISRecordControlAct')).toBe(2);
  expect(answer.xml).toContain('extension="706"');
  expect(answer.xml).toContain('extension="708"');
  expect(count(answer.xml, 'pertinentCP-ISNHSQuery')).toBe(1);
  expect(answer.xml).toContain('Dr Sam Patel');
  expect(answer.xml).toMatch(/<queryResponseCode code="OK"\/>/);
  expect((await drainedInbox(hub, 'LA706CSC')).length + (await drainedInbox(hub, 'LA708CSC')).length).toBe(2);
});

test('a retried query (same query id) notifies once; a silent read (accessEventType false) not at all', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  const queryId = randomUUID().toUpperCase();
  for (let i = 0; i < 3; i++) expect((await ask({ nhsNumber: child, queryId })).status).toBe(200);
  expect(await drainedInbox(hub, 'LA706CSC')).toHaveLength(1);
  const silent = await ask({ nhsNumber: child, unscheduled: false });
  expect(silent.status).toBe(200);
  expect(count(silent.xml, 'pertinentCP-ISNHSQuery')).toBe(1); // the earlier, recorded access only
  expect(await drainedInbox(hub, 'LA706CSC')).toHaveLength(0);
});

test('an LA on the national documents is told with a CP-ISAccessToServiceNotification naming the query by its own id', async () => {
  const [child] = nhsNumbers(1);
  const bradford = client(hub, 'LA709CSC');
  await bradford.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: nationalPlanFile(LA709, `Q${sequence++}`, [nationalRecord(child)]), localId: `v3-nat-${sequence}` });
  expect(await collect(bradford, 1)).toHaveLength(1); // its FileResponse
  const queryId = randomUUID().toUpperCase();
  const answer = await ask({ nhsNumber: child, queryId });
  expect(answer.xml).toContain(`<id root="${queryId}"/>`); // the asker's own access in the history
  const [notice] = await drainedInbox(hub, 'LA709CSC');
  expect(notice.text).toContain('<CP-ISAccessToServiceNotification');
  expect(notice.text).toContain(`<id root="${queryId}"/>`);
});

test('no record: QUQI_IN010000UK14 No Records Found naming the query message', async () => {
  const [child] = nhsNumbers(1);
  const messageId = randomUUID().toUpperCase();
  const answer = await ask({ nhsNumber: child, messageId });
  expect(answer.status).toBe(200);
  expect(answer.xml).toContain('<QUQI_IN010000UK14');
  expect(answer.xml).toContain(messageId);
  expect(answer.xml).toMatch(/<queryResponseCode code="NF"\/>/);
});

test('refusals are MCCI_IN010000UK13 acknowledgements with the fault\'s HTTP status', async () => {
  const otherTrust = await ask({ organisation: { ods: 'RAE', name: 'Bradford Teaching Hospitals' } });
  expect([otherTrust.status, otherTrust.xml.includes('<MCCI_IN010000UK13'), otherTrust.xml.includes('ACCESS_DENIED')]).toEqual([403, true, true]);
  const noToken = await ask({}, null);
  expect([noToken.status, noToken.xml.includes('UNAUTHENTICATED')]).toEqual([401, true]);
  const res = await fetch(`${hub.url}/cpis/hl7v3/query`, { method: 'POST', headers: { 'content-type': 'application/xml', authorization: `Bearer ${token}` }, body: '<QUPC_IN000006GB01 xmlns="urn:hl7-org:v3"/>' });
  const unreadable = await res.text();
  expect(res.status).toBe(400);
  expect(unreadable).toContain('typeCode="AE"');
  const json = await fetch(`${hub.url}/cpis/hl7v3/query`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
  expect(json.status).toBe(415);
  const [audited] = await auditOf('rr8-ed');
  expect([audited.api, audited.outcome]).toEqual(['hl7v3', 'UNSUPPORTED_MEDIA_TYPE']);
});

test('a system author naming no person, from a client with no responsible person and no X-User-Name: 400 NO_STATED_USER', async () => {
  const answer = await ask({ viewedBy: undefined, systemAsid: '200000000555' });
  expect([answer.status, answer.xml.includes('<MCCI_IN010000UK13'), answer.xml.includes('code="NO_STATED_USER"')]).toEqual([400, true, true]);
  const [audited] = await auditOf('rr8-ed');
  expect([audited.outcome, audited.nhsNumber]).toEqual(['NO_STATED_USER', person.nhsNumber]);
});

test('a system author naming no person is recorded as the client\'s responsible person asking through that system\'s ASID', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  const miu = await queryToken(hub, QUERY_CLIENTS.miu);
  const answer = await ask({ nhsNumber: child, viewedBy: undefined, systemAsid: '200000000777' }, miu);
  expect(answer.status).toBe(200);
  expect(answer.xml).toMatch(/<id root="1.2.826.0.1285.0.2.0.107" extension="200000000777"\/>\s*<indirectAuthority>\s*<superiorAssignedEntity>\s*<code [^>]*\/>\s*<assignedPerson>\s*<name>Dr Alex Morgan<\/name>/);
  await drainedInbox(hub, 'LA706CSC');
});

test('TraceID, X-Request-ID and X-Correlation-ID are echoed on answers and refusals', async () => {
  const echoed = { TraceID: 'v3-trace', 'X-Request-ID': 'v3-req', 'X-Correlation-ID': 'v3-corr' };
  const answered = await ask({}, token, echoed);
  const refused = await ask({}, null, echoed);
  expect([answered.status, refused.status]).toEqual([200, 401]);
  for (const answer of [answered, refused]) {
    for (const [name, value] of Object.entries(echoed)) expect(answer.headers.get(name)).toBe(value);
  }
});
