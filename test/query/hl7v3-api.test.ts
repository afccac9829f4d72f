import { randomUUID } from 'node:crypto';
import { buildDmsQuery, parseDmsQuery, type DmsQuery } from '../../engine/cpis/dms/query.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import { client, collect, drainedInbox, LA706, LA708, LA709, nationalPlanFile, nationalRecord, planRecord, startCpisHub, uploadPlans } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { queryToken } from '../support/query.js';

/** The national query over HTTP against the real hub: the same register, the same side effects. */
let hub: TestHub;
let token: string;
let sequence = 300;
let person: DmsQuery;
beforeAll(async () => {
  hub = await startCpisHub();
  token = await queryToken(hub);
  const parsed = parseDmsQuery(buildDmsQuery(sampleQuery()));
  if (!parsed.ok) throw new Error(parsed.error.message);
  person = parsed.value;
});
afterAll(() => hub.stop());

function sampleQuery(): DmsQuery {
  return {
    messageId: randomUUID().toUpperCase(), senderAsid: '200000000123', receiverAsid: '990000000001', queryId: randomUUID().toUpperCase(),
    at: '2026-11-29T10:00:00Z', nhsNumber: '9689177621', unscheduled: true, organisation: { ods: 'RR8', name: 'Leeds Teaching Hospitals' },
    viewedBy: { name: 'Dr Sam Patel', role: 'Emergency Medicine Consultant', roleCode: 'R0260', id: '555000000999', roleProfileId: '555000000111' },
  };
}


async function ask(query: Partial<DmsQuery>, bearer: string | null = token) {
  const res = await fetch(`${hub.url}/cpis/hl7v3/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: buildDmsQuery({ ...person, messageId: randomUUID().toUpperCase(), ...query }),
  });
  return { status: res.status, type: res.headers.get('content-type'), xml: await res.text() };
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
});
