import { request } from 'node:http';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { QueryAudit } from '../../engine/query/query-audit.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import { schemaErrors } from '../cpis/fhir/samples.js';
import { drainedInbox, LA706, LA708, planRecord, startCpisHub, uploadPlans } from '../support/cpis.js';
import { memoryLogger, type TestHub, testRedis } from '../support/hub.js';
import { auditEventPath, careTeamPath, ED_USER, fhirGet, type FhirAnswer, QUERY_CLIENTS, queryToken, spineCode } from '../support/query.js';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** The FHIR query against the real hub: the same answers and side effects as an attendance (issue 11). */
let hub: TestHub;
let token: string;
const logs: object[] = [];
beforeAll(async () => {
  hub = await startCpisHub({}, { log: memoryLogger(logs) });
  token = await queryToken(hub);
});
afterAll(() => hub.stop());



test('a flagged child: one CareTeam per plan with its LA name, phones, category and period', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child), planRecord(child, { type: 'LAC', start: '2025-03-01' })]);
  const answer = await fhirGet(hub, careTeamPath(child), token, { IsUnscheduledAccessEvent: 'false' });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expect(answer.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 2 });
  const teams = answer.body.entry!.map((e) => e.resource);
  expect(teams.map((t) => (t.category as { coding: { code: string }[] }[])[0].coding[0].code).sort()).toEqual(['342191000000101', '764841000000100']);
  expect(teams[0]).toMatchObject({
    resourceType: 'CareTeam',
    name: LA706.name,
    subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: child } },
    telecom: expect.arrayContaining([
      { system: 'phone', use: 'work', value: LA706.officePhone },
      { system: 'phone', use: 'mobile', value: LA706.emergencyPhone },
    ]),
  });
  expect(teams.find((t) => (t.period as { start: string }).start === '2025-03-01')).toBeDefined();
  expect(schemaErrors(answer.body)).toEqual([]);
});

test('a plan ended within endedVisibleMonths is shown with its end, and its LA is not told; an open plan\'s LA is', async () => {
  const [child] = nhsNumbers(1);
  const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600_000).toISOString().slice(0, 10);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child, { start: daysAgo(200), end: daysAgo(30) })]);
  await uploadPlans(hub, LA708, 'LA708CSC', [planRecord(child, { type: 'LAC' })]);
  const answer = await fhirGet(hub, careTeamPath(child), token, { 'X-Request-ID': `ended-${child}` });
  expect(answer.body.total).toBe(2);
  const ended = answer.body.entry!.map((e) => e.resource).find((team) => team.name === LA706.name);
  expect(ended?.period).toEqual({ start: daysAgo(200), end: daysAgo(30) });
  expect(schemaErrors(answer.body)).toEqual([]);
  expect([(await drainedInbox(hub, 'LA706CSC')).length, (await drainedInbox(hub, 'LA708CSC')).length]).toEqual([0, 1]);
});

test('no record: 200 with an empty searchset, and nothing recorded or notified', async () => {
  const [child] = nhsNumbers(1);
  const answer = await fhirGet(hub, careTeamPath(child), token);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 0 });
  expect(answer.body.entry).toBeUndefined();
});

test('an unscheduled query notifies each LA with an open plan exactly once, however often it is retried', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  await uploadPlans(hub, LA708, 'LA708CSC', [planRecord(child, { type: 'LAC' })]);
  const retry = { 'X-Request-ID': `req-${child}` };
  for (let i = 0; i < 3; i++) expect((await fhirGet(hub, careTeamPath(child), token, retry)).status).toBe(200);
  const leeds = await drainedInbox(hub, 'LA706CSC');
  const kirklees = await drainedInbox(hub, 'LA708CSC');
  expect([leeds.length, kirklees.length]).toEqual([1, 1]);
  const notification = parseAccessNotification(leeds[0].body);
  expect(notification.ok && notification.value).toMatchObject({
    attendanceId: `req-${child}`,
    subject: { nhsNumber: child },
    careSetting: { ods: 'RR8', name: 'Leeds General Infirmary Emergency Department', departmentType: '01' },
    viewedBy: { name: ED_USER['X-User-Name'], role: ED_USER['X-User-Role'], id: ED_USER['X-User-Id'] },
  });
  // A new query (no id of its own, or another id) is another view, told again.
  await fhirGet(hub, careTeamPath(child), token);
  expect(await drainedInbox(hub, 'LA706CSC')).toHaveLength(1);
});

test('a scheduled query (a silent read) leaves no history and sends no notification', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  const silent = await fhirGet(hub, careTeamPath(child), token, { IsUnscheduledAccessEvent: 'FALSE' });
  expect(silent.body.total).toBe(1);
  expect(await drainedInbox(hub, 'LA706CSC')).toHaveLength(0);
  const history = await fhirGet(hub, auditEventPath(child), token, { IsUnscheduledAccessEvent: 'false' });
  expect(history.body.total).toBe(0);
});

test('AuditEvent lists the caller\'s own access with its PractitionerRole included; one author within 24 hours once', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  await fhirGet(hub, careTeamPath(child), token, { 'X-Request-ID': `a-${child}` });
  await fhirGet(hub, careTeamPath(child), token, { 'X-Request-ID': `b-${child}` });
  const history = await fhirGet(hub, auditEventPath(child), token, { IsUnscheduledAccessEvent: 'false' });
  expect(history.status).toBe(200);
  expect(history.body.total).toBe(1);
  const [event, role] = history.body.entry!;
  expect(event).toMatchObject({ search: { mode: 'match' }, resource: { resourceType: 'AuditEvent' } });
  expect(role).toMatchObject({ search: { mode: 'include' }, resource: { resourceType: 'PractitionerRole', practitioner: { display: ED_USER['X-User-Name'] } } });
  expect(schemaErrors(history.body)).toEqual([]);
  await drainedInbox(hub, 'LA706CSC');
});

test('the IG\'s sequence, CareTeam then AuditEvent, unscheduled and without ids: one look, one notification per LA', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  expect((await fhirGet(hub, careTeamPath(child), token)).body.total).toBe(1);
  const history = await fhirGet(hub, auditEventPath(child), token);
  expect(history.body.total).toBe(1); // the CareTeam search's access, the caller's own
  expect(await drainedInbox(hub, 'LA706CSC')).toHaveLength(1);
});

test('an AuditEvent search alone records and notifies nothing, unscheduled or not', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  for (let i = 0; i < 2; i++) expect((await fhirGet(hub, auditEventPath(child), token, { IsUnscheduledAccessEvent: 'true' })).body.total).toBe(0);
  expect(await drainedInbox(hub, 'LA706CSC')).toHaveLength(0);
});

test('TraceID names no query: two looks under one session\'s TraceID are two looks, each told to the LA', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  for (let i = 0; i < 2; i++) expect((await fhirGet(hub, careTeamPath(child), token, { TraceID: `session-${child}` })).status).toBe(200);
  expect(await drainedInbox(hub, 'LA706CSC')).toHaveLength(2);
});

test('a system client without a stated user is recorded against its responsible person', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  const miu = await queryToken(hub, QUERY_CLIENTS.miu);
  const res = await fetch(`${hub.url}/cpis/FHIR/R4${careTeamPath(child)}`, { headers: { authorization: `Bearer ${miu}` } });
  expect(res.status).toBe(200);
  const [notification] = await drainedInbox(hub, 'LA706CSC');
  const parsed = parseAccessNotification(notification.body);
  expect(parsed.ok && parsed.value).toMatchObject({ careSetting: { departmentType: '03' }, viewedBy: { name: 'Dr Alex Morgan', role: 'Clinical Lead' } });
});

test.each([
  ['an invalid NHS number', careTeamPath('1234567890'), {}, 400, 'INVALID_SEARCH_DATA'],
  ['no patient parameter', '/CareTeam', {}, 400, 'INVALID_SEARCH_DATA'],
  ['a bad IsUnscheduledAccessEvent', careTeamPath('9689177621'), { IsUnscheduledAccessEvent: 'maybe' }, 400, 'PRECONDITION_FAILED'],
  ['no stated user', careTeamPath('9689177621'), { 'X-User-Name': '' }, 400, 'PRECONDITION_FAILED'],
  ['an unknown include', `${auditEventPath('9689177621')}&_include=Patient:link`, {}, 400, 'INVALID_SEARCH_DATA'],
])('%s is refused with an OperationOutcome', async (_what, path, headers, status, code) => {
  const answer = await fhirGet(hub, path, token, headers as Record<string, string>);
  expect(answer.status).toBe(status);
  expect(answer.body.resourceType).toBe('OperationOutcome');
  expect(spineCode(answer)).toBe(code);
  expect(schemaErrors(answer.body)).toEqual([]);
});

test('no token or a forged one: 401 ACCESS_DENIED (login); an unknown path 404; a write 405; a malformed URL 400', async () => {
  const none = await fhirGet(hub, careTeamPath('9689177621'), undefined);
  expect([none.status, none.body.issue?.[0].code, spineCode(none)]).toEqual([401, 'login', 'ACCESS_DENIED']);
  expect((await fhirGet(hub, careTeamPath('9689177621'), 'forged-token')).status).toBe(401);
  const unknown = await fhirGet(hub, '/Patient?identifier=x', token);
  expect([unknown.status, spineCode(unknown)]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  const write = await fetch(`${hub.url}/cpis/FHIR/R4/CareTeam`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(write.status).toBe(405);
  // Refused before routing, still in FHIR's words.
  const malformed = await fhirGet(hub, '/CareTeam%ZZ', token);
  expect([malformed.status, malformed.body.resourceType, spineCode(malformed)]).toEqual([400, 'OperationOutcome', 'INVALID_SEARCH_DATA']);
});

test('a request the framework refuses is still an OperationOutcome with its own status: 415 an unreadable body type, 413 too large', async () => {
  const octets = await fetch(`${hub.url}/cpis/FHIR/R4/CareTeam`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: 'x' });
  const unsupported = await octets.json() as FhirAnswer['body'];
  expect([octets.status, octets.headers.get('content-type'), unsupported.resourceType, unsupported.issue?.[0].code]).toEqual([415, FHIR_JSON, 'OperationOutcome', 'not-supported']);
  const large = await announcedBody(`${hub.url}/cpis/FHIR/R4/CareTeam`, 100 * 1024 * 1024 + 1);
  expect([large.status, large.body.resourceType, large.body.issue?.[0].code]).toEqual([413, 'OperationOutcome', 'too-long']);
  expect(schemaErrors(unsupported)).toEqual([]);
});

/** The answer to a POST whose Content-Length announces `bytes`, none of which are sent: refused on the head alone. */
function announcedBody(url: string, bytes: number): Promise<{ status: number; body: FhirAnswer['body'] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(bytes) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as FhirAnswer['body'] });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

test('TraceID, X-Request-ID and X-Correlation-ID are echoed; /metadata serves the CapabilityStatement', async () => {
  const echoed = { TraceID: 'trace-1', 'X-Request-ID': 'req-echo', 'X-Correlation-ID': 'corr-1' };
  const answer = await fhirGet(hub, '/metadata', undefined, echoed);
  expect(answer.status).toBe(200);
  expect(answer.body.resourceType).toBe('CapabilityStatement');
  for (const [name, value] of Object.entries(echoed)) expect(answer.headers.get(name)).toBe(value);
  const refused = await fhirGet(hub, careTeamPath('123'), token, echoed);
  expect(refused.headers.get('X-Correlation-ID')).toBe('corr-1');
});

test('every query is audited with who asked and counts, and no log line carries an NHS number or a name', async () => {
  const [child] = nhsNumbers(1);
  await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
  await fhirGet(hub, careTeamPath(child), token, { IsUnscheduledAccessEvent: 'false', 'X-Request-ID': `audit-${child}` });
  const redis = testRedis();
  const [entry] = await new QueryAudit(redis, hub.keyPrefix).list({ nhsNumber: child }).finally(() => redis.disconnect());
  expect(entry).toMatchObject({ api: 'fhir-careteam', client: 'rr8-ed', organisation: 'RR8', user: ED_USER['X-User-Name'], unscheduled: false, outcome: 'ok', plans: 1 });
  expect(entry.accesses).toBeUndefined(); // a CareTeam answer lists no history, so none is read
  const text = JSON.stringify(logs);
  expect(text).not.toContain(child);
  expect(text).not.toContain(ED_USER['X-User-Name']);
});
