import { nhsNumbers } from '../../scripts/sample-exchange.js';
import { startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { careTeamPath, fhirGet, QUERY_CLIENTS, queryToken } from '../support/query.js';
import { Staff } from '../console/staff.js';
import { cpisx, staffEnv } from './cli-process.js';

const SLOW = 60_000;
const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;

/** `cpisx queries` as a real process against a real hub that real FHIR queries were asked of. */
describe('cpisx queries', () => {
  let hub: TestHub;
  const [CHILD, OTHER] = nhsNumbers(2);
  const run = (...args: string[]) => cpisx(['queries', ...args], staffEnv(hub.url, 'viewer'));
  const cells = (line: string) => line.split(/\s{2,}/);

  beforeAll(async () => {
    hub = await startCpisHub();
    const ed = await queryToken(hub, QUERY_CLIENTS.ed);
    const miu = await queryToken(hub, QUERY_CLIENTS.miu);
    expect((await fhirGet(hub, careTeamPath(CHILD), ed, { IsUnscheduledAccessEvent: 'false' })).status).toBe(200);
    expect((await fhirGet(hub, careTeamPath(OTHER), miu)).status).toBe(200);
  }, 30_000);

  afterAll(() => hub.stop());

  test('a table newest first, NHS numbers masked; --client narrows it; --json is the API\'s answer', async () => {
    const all = await run();
    expect([all.code, all.stderr]).toEqual([0, '']);
    const [header, newest, oldest, footer, ...rest] = all.stdout.trimEnd().split('\n');
    expect(cells(header)).toEqual(['AT', 'API', 'CLIENT', 'ORG', 'USER', 'NHS NUMBER', 'ACCESS', 'OUTCOME', 'PLANS', 'ACCESSES']);
    expect(cells(newest)).toEqual([expect.stringMatching(STAMP), 'fhir-careteam', 'rr8-minor-injuries', 'RR8', expect.any(String), `*******${OTHER.slice(-3)}`, 'unscheduled', 'ok', '0', '—']);
    expect(cells(oldest)).toEqual([expect.stringMatching(STAMP), 'fhir-careteam', 'rr8-ed', 'RR8', 'Dr Sam Patel', `*******${CHILD.slice(-3)}`, 'scheduled', 'ok', '0', '—']);
    expect([footer, rest]).toEqual(['2 queries, newest first', []]);
    expect(all.stdout).not.toContain(CHILD);

    const ed = await run('--client', 'rr8-ed', '--limit', '1');
    const [, only, note, ...none] = ed.stdout.trimEnd().split('\n');
    expect([cells(only), note, none]).toEqual([cells(oldest), '1 query, newest first; --limit for more (up to 1000)', []]);

    const json = await run('--client', 'rr8-ed', '--json');
    const viewer = await Staff.login(hub.url, 'viewer');
    expect(JSON.parse(json.stdout)).toEqual((await viewer.get('/queries', { client: 'rr8-ed' })).body);
  }, SLOW);

  test('--nhs-number finds the child\'s queries, written as people write it, and the search is audited', async () => {
    const found = await run('--nhs-number', `${CHILD.slice(0, 3)} ${CHILD.slice(3, 6)} ${CHILD.slice(6)}`);
    expect(found.code).toBe(0);
    const [, row, footer, ...rest] = found.stdout.trimEnd().split('\n');
    expect([cells(row)[2], cells(row)[6], footer, rest]).toEqual(['rr8-ed', 'scheduled', '1 query, newest first', []]);
    const admin = await Staff.login(hub.url, 'admin');
    const [audited] = (await admin.get('/audit', { action: 'queries-by-nhs-number' })).body.items;
    expect(audited).toMatchObject({ user: 'viewer', outcome: 'ok', detail: `NHS number *******${CHILD.slice(-3)}` });
  }, SLOW);

  test('refusals are one line with the API\'s code; nothing matching says so', async () => {
    const typo = await run('--nhs-number', '1234567890');
    expect([typo.code, typo.stdout, typo.stderr]).toEqual([1, '', 'cpisx: INVALID_NHS_NUMBER: the NHS number cannot be valid: its Modulus 11 check digit would be 10\n']);
    const bad = await run('--limit', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^cpisx: BAD_REQUEST: limit:/);
    const none = await run('--client', 'nobody');
    expect([none.code, none.stdout]).toEqual([0, 'no queries match\n']);
  }, SLOW);
});
