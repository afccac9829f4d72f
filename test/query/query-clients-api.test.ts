import { startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { careTeamPath, fhirGet, queryToken } from '../support/query.js';

/** Per-client rules as configured: a tight rate limit, and a client kept but not allowed. */
let hub: TestHub;
beforeAll(async () => {
  hub = await startCpisHub({}, {
    overrides: {
      queryClients: [
        { id: 'slow', organisation: 'RR8', secret: 'slow-secret', rateLimit: { perSecond: 0.2, burst: 2 } },
        { id: 'barred', organisation: 'RR8', secret: 'barred-secret', allowed: false },
      ],
    },
  });
});
afterAll(() => hub.stop());

test('over its rate limit a client gets 429 with Retry-After, and its queries are counted as refused', async () => {
  const token = await queryToken(hub, { id: 'slow', secret: 'slow-secret' });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await fhirGet(hub, careTeamPath('9689177621'), token, { IsUnscheduledAccessEvent: 'false' })).status);
  expect(statuses).toEqual([200, 200, 429]);
  const refused = await fhirGet(hub, careTeamPath('9689177621'), token);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(refused.body.issue?.[0].code).toBe('throttled');
  const metrics = await (await fetch(`${hub.url}/metrics`)).text();
  expect(metrics).toMatch(/cpisx_queries_total\{api="fhir-careteam",outcome="RATE_LIMITED"\} 2/);
  expect(metrics).toMatch(/cpisx_queries_total\{api="fhir-careteam",outcome="ok"\} 2/);
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
