import { buildDmsQuery } from '../../engine/cpis/dms/query.js';
import { QueryAudit, type QueryAuditEntry } from '../../engine/query/query-audit.js';
import { schemaErrors } from '../cpis/fhir/samples.js';
import { startCpisHub } from '../support/cpis.js';
import { testRedis, type TestHub } from '../support/hub.js';
import { careTeamPath, dmsQuery, fhirGet, hl7v3Post, queryToken, spineCode } from '../support/query.js';

/** Per-client rules as configured: tight rate limits, and a client kept but not allowed. */
const SLOW = { id: 'slow', secret: 'slow-secret' };
const SLOW_V3 = { id: 'slow-v3', secret: 'slow-v3-secret' };
const BARRED = { id: 'barred', secret: 'barred-secret' };
const CHILD = '9689177621';

let hub: TestHub;
beforeAll(async () => {
  hub = await startCpisHub({}, {
    overrides: {
      queryClients: [
        { ...SLOW, organisation: 'RR8', rateLimit: { perSecond: 0.2, burst: 2 } },
        { ...SLOW_V3, organisation: 'RR8', rateLimit: { perSecond: 0.1, burst: 1 } },
        { ...BARRED, organisation: 'RR8', allowed: false },
      ],
    },
  });
});
afterAll(() => hub.stop());

/** The client's query audit, newest first. */
async function audited(clientId: string): Promise<QueryAuditEntry[]> {
  const redis = testRedis();
  return new QueryAudit(redis, hub.keyPrefix).list({ client: clientId }).finally(() => redis.disconnect());
}

test('over its rate limit a client gets 429 with Retry-After; each refusal is counted, and audited once per Retry-After window', async () => {
  const token = await queryToken(hub, SLOW);
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await fhirGet(hub, careTeamPath(CHILD), token, { IsUnscheduledAccessEvent: 'false' })).status);
  expect(statuses).toEqual([200, 200, 429]);
  const refused = await fhirGet(hub, careTeamPath(CHILD), token);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(refused.body.issue?.[0].code).toBe('throttled');
  const metrics = await (await fetch(`${hub.url}/metrics`)).text();
  expect(metrics).toMatch(/cpisx_queries_total\{api="fhir-careteam",outcome="RATE_LIMITED"\} 2/);
  expect(metrics).toMatch(/cpisx_queries_total\{api="fhir-careteam",outcome="ok"\} 2/);
  const audit = await audited(SLOW.id);
  // Two refusals within the window: the audit grows by one, however hard a client hammers.
  expect(audit.map((e) => [e.outcome, e.nhsNumber])).toEqual([['TOO_MANY_REQUESTS', CHILD], ['ok', CHILD], ['ok', CHILD]]);
});

test('HL7 v3 over its rate limit: 429 with Retry-After and an MCCI refusal, audited', async () => {
  const token = await queryToken(hub, SLOW_V3);
  expect((await hl7v3Post(hub, buildDmsQuery(dmsQuery()), token)).status).toBe(200);
  const refused = await hl7v3Post(hub, buildDmsQuery(dmsQuery()), token);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect([refused.xml.includes('<MCCI_IN010000UK13'), refused.xml.includes('code="RATE_LIMITED"')]).toEqual([true, true]);
  expect((await audited(SLOW_V3.id)).map((e) => [e.api, e.outcome])).toEqual([['hl7v3', 'RATE_LIMITED'], ['hl7v3', 'ok']]);
});

test('a client barred while its token lives: 403 ACCESS_DENIED from both APIs, each refusal audited', async () => {
  // The same data, the client still allowed: its token was issued before the configuration barred it.
  const before = await startCpisHub({}, { keyPrefix: hub.keyPrefix, overrides: { queryClients: [{ ...BARRED, organisation: 'RR8' }] } });
  const token = await queryToken(before, BARRED).finally(() => before.stop());
  const fhir = await fhirGet(hub, careTeamPath(CHILD), token);
  expect([fhir.status, fhir.body.issue?.[0].code, spineCode(fhir)]).toEqual([403, 'forbidden', 'ACCESS_DENIED']);
  expect(schemaErrors(fhir.body)).toEqual([]);
  const v3 = await hl7v3Post(hub, buildDmsQuery(dmsQuery()), token);
  expect([v3.status, v3.xml.includes('<MCCI_IN010000UK13'), v3.xml.includes('code="ACCESS_DENIED"')]).toEqual([403, true, true]);
  expect((await audited(BARRED.id)).map((e) => [e.api, e.organisation, e.outcome, e.nhsNumber])).toEqual([
    ['hl7v3', 'RR8', 'ACCESS_DENIED', undefined],
    ['fhir-careteam', 'RR8', 'ACCESS_DENIED', CHILD],
  ]);
});

test('a client configured with allowed: false gets no token (unauthorized_client)', async () => {
  const res = await fetch(`${hub.url}/cpis/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'barred', client_secret: 'barred-secret' }),
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
});
