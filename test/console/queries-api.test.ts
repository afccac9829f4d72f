import { parsePlanUpdateAck } from '../../engine/cpis/xml/plan-update-ack.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import { client, collect, LA706, planFile, planRecord, startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { careTeamPath, fhirGet, QUERY_CLIENTS, queryToken } from '../support/query.js';
import { Staff } from './staff.js';

interface Listed {
  at: string;
  api: string;
  client: string;
  organisation: string;
  user?: string;
  nhsNumber?: string;
  unscheduled?: boolean;
  outcome: string;
  plans?: number;
  accesses?: number;
}

/** The query audit read through the console, after real queries to the real hub's FHIR API. */
describe('the console API on the point-of-care query audit', () => {
  let hub: TestHub;
  let viewer: Staff;
  let admin: Staff;
  const [FLAGGED, OTHER] = nhsNumbers(2);
  const masked = (n: string) => `*******${n.slice(-3)}`;
  const spaced = (n: string) => `${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6)}`;
  const listed = async (staff: Staff, query: Record<string, string | number> = {}) => {
    const answer = await staff.get('/queries', query);
    expect(answer.status).toBe(200);
    return answer;
  };
  const searches = async () => (await admin.get('/audit', { action: 'queries-by-nhs-number' })).body.items;

  beforeAll(async () => {
    hub = await startCpisHub();
    [viewer, admin] = await Promise.all([Staff.login(hub.url, 'viewer'), Staff.login(hub.url, 'admin')]);
    const la = client(hub, 'LA706CSC');
    await la.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA706, 1, [planRecord(FLAGGED)]), localId: 'queries-plan' });
    const [ack] = await collect(la, 1);
    const parsed = parsePlanUpdateAck(ack.body);
    expect(parsed.ok && parsed.value.status).toBe('CPF02');

    const ed = await queryToken(hub, QUERY_CLIENTS.ed);
    const miu = await queryToken(hub, QUERY_CLIENTS.miu);
    const statuses = [
      (await fhirGet(hub, careTeamPath(FLAGGED), ed)).status,
      (await fhirGet(hub, careTeamPath(FLAGGED), ed, { IsUnscheduledAccessEvent: 'false' })).status,
      (await fhirGet(hub, careTeamPath(OTHER), miu)).status,
      (await fhirGet(hub, careTeamPath(FLAGGED), miu, { IsUnscheduledAccessEvent: 'perhaps' })).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 400]);
  }, 60_000);

  afterAll(() => hub.stop());

  test('lists every query newest first, silent reads and refusals included, NHS numbers masked for every role', async () => {
    const answer = await listed(viewer);
    const items = answer.body.items as Listed[];
    expect(items.map((e) => [e.client, e.nhsNumber, e.unscheduled, e.outcome, e.plans, e.accesses])).toEqual([
      ['rr8-minor-injuries', masked(FLAGGED), undefined, 'PRECONDITION_FAILED', undefined, undefined],
      // CareTeam searches: the answer lists no history, so none is read or counted.
      ['rr8-minor-injuries', masked(OTHER), true, 'ok', 0, undefined],
      ['rr8-ed', masked(FLAGGED), false, 'ok', 1, undefined],
      ['rr8-ed', masked(FLAGGED), true, 'ok', 1, undefined],
    ]);
    expect(items[3]).toMatchObject({ api: 'fhir-careteam', organisation: 'RR8', user: 'Dr Sam Patel' });
    expect([...items].sort((a, b) => b.at.localeCompare(a.at))).toEqual(items);
    const asAdmin = await listed(admin);
    for (const text of [answer.text, asAdmin.text]) for (const n of [FLAGGED, OTHER]) expect(text).not.toContain(n);
    expect(asAdmin.body).toEqual(answer.body);
  });

  test('filters by client and limits how many', async () => {
    const miu = (await listed(viewer, { client: QUERY_CLIENTS.miu.id })).body.items as Listed[];
    expect(miu.map((e) => e.outcome)).toEqual(['PRECONDITION_FAILED', 'ok']);
    expect((await listed(viewer, { client: 'rr8' })).body.items).toEqual([]);
    expect((await listed(viewer, { limit: 1 })).body.items).toEqual([miu[0]]);
  });

  test('a search by NHS number, written with spaces and dashes, finds the child\'s queries and is audited, the number masked', async () => {
    const before = (await searches()).length;
    await listed(viewer, { client: QUERY_CLIENTS.ed.id });
    expect(await searches()).toHaveLength(before);

    const found = await listed(viewer, { nhsNumber: spaced(FLAGGED), client: QUERY_CLIENTS.ed.id });
    expect((found.body.items as Listed[]).map((e) => [e.client, e.unscheduled])).toEqual([['rr8-ed', false], ['rr8-ed', true]]);
    expect(((await listed(viewer, { nhsNumber: FLAGGED })).body.items as Listed[]).map((e) => e.outcome)).toEqual(['PRECONDITION_FAILED', 'ok', 'ok']);

    const audited = await searches();
    expect(audited.slice(0, 2)).toEqual([
      expect.objectContaining({ user: 'viewer', outcome: 'ok', detail: `NHS number ${masked(FLAGGED)}`, messageIds: [] }),
      expect.objectContaining({ user: 'viewer', outcome: 'ok', detail: `NHS number ${masked(FLAGGED)}, client rr8-ed` }),
    ]);
    expect(audited).toHaveLength(before + 2);
    expect(JSON.stringify(audited)).not.toContain(FLAGGED);
  });

  test('a mistyped NHS number is refused, not answered with nothing, and the refusal is audited', async () => {
    const typo = `${FLAGGED.slice(0, 9)}${(Number(FLAGGED[9]) + 1) % 10}`;
    const refused = await viewer.get('/queries', { nhsNumber: typo });
    expect([refused.status, refused.body.code]).toEqual([400, 'INVALID_NHS_NUMBER']);
    expect(refused.text).not.toContain(typo);
    const [last] = await searches();
    expect(last).toMatchObject({ user: 'viewer', outcome: 'INVALID_NHS_NUMBER', detail: `NHS number ${masked(typo)}` });
    const short = await viewer.get('/queries', { nhsNumber: '12345' });
    expect([short.status, short.body.code]).toEqual([400, 'INVALID_NHS_NUMBER']);
  });

  test('bad input is a BAD_REQUEST naming the field; without a session, 401', async () => {
    for (const [query, field] of [[{ limit: 0 }, 'limit'], [{ limit: 1001 }, 'limit'], [{ nhs: FLAGGED }, 'nhs'], [{ client: ' ' }, 'client']] as const) {
      const bad = await viewer.get('/queries', query);
      expect([bad.status, bad.body.code]).toEqual([400, 'BAD_REQUEST']);
      expect(bad.body.message).toMatch(field === 'nhs' ? /Unrecognized key.*nhs/ : new RegExp(`^${field}:`));
    }
    const anonymous = await new Staff(`${hub.url}/console/api`).get('/queries');
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});
