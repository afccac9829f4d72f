import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import { freePort } from '../../scripts/spawn-ready.js';
import { drainedInbox, LA706, LA708, planRecord, startCpisHub, uploadPlans } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { ED_USER, QUERY_CLIENTS } from '../support/query.js';
import { cpisx } from './cli-process.js';

const SLOW = 60_000;
const NAME = 'Dr Siân Ó Súilleabháin-Łukasz';
const ED = ['--user-name', ED_USER['X-User-Name'], '--user-role', ED_USER['X-User-Role'], '--user-id', ED_USER['X-User-Id']];

/** `cpisx query` as a real process against a real hub: what staff and the PAS's scripts see. */
describe('cpisx query', () => {
  let hub: TestHub;
  const edEnv = () => ({ CPISX_HUB: hub.url, CPISX_QUERY_CLIENT: QUERY_CLIENTS.ed.id, CPISX_QUERY_SECRET: QUERY_CLIENTS.ed.secret });
  const query = (...args: string[]) => cpisx(['query', ...args], edEnv());

  beforeAll(async () => {
    hub = await startCpisHub();
  }, 30_000);
  afterAll(() => hub.stop());



  test('a flagged child: the plans, each LA\'s name and both phones; the LA is told exactly once', async () => {
    const [child] = nhsNumbers(1);
    await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child), planRecord(child, { type: 'LAC', start: '2025-03-01', end: '2026-10-31' })]);
    await uploadPlans(hub, LA708, 'LA708CSC', [planRecord(child, { type: 'UCPP', start: '2026-06-01' })]);
    const result = await query(child, ...ED);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const [headline, note, blank, planHeader, ...rest] = result.stdout.trimEnd().split('\n');
    expect([headline, note, blank]).toEqual([`FLAGGED  NHS number ${child}: 3 plans`, '(this access is recorded and each LA with an open plan is told)', '']);
    expect(planHeader.split(/\s{2,}/)).toEqual(['PLAN', 'START', 'END', 'LA']);
    const plans = rest.slice(0, 3).map((line) => line.split(/\s{2,}/));
    expect(plans).toEqual(expect.arrayContaining([
      ['child protection plan', '2025-01-10', 'open', LA706.name],
      ['looked after child', '2025-03-01', '2026-10-31', LA706.name],
      ['unborn child protection plan', '2026-06-01', 'open', LA708.name],
    ]));
    const las = rest.slice(4).map((line) => line.split(/\s{2,}/));
    expect(rest[3]).toBe('');
    expect(las[0]).toEqual(['LA', 'OFFICE HOURS', 'EMERGENCY DUTY']);
    expect(las.slice(1)).toEqual(expect.arrayContaining([
      [LA706.name, LA706.officePhone, LA706.emergencyPhone],
      [LA708.name, LA708.officePhone, LA708.emergencyPhone],
    ]));
    expect(las).toHaveLength(3);

    const [told, ...more] = await drainedInbox(hub, 'LA706CSC');
    expect(more).toEqual([]);
    const notification = parseAccessNotification(told.body);
    expect(notification.ok && notification.value).toMatchObject({ subject: { nhsNumber: child }, viewedBy: { name: ED_USER['X-User-Name'] } });
    expect(await drainedInbox(hub, 'LA708CSC')).toHaveLength(1);
  }, SLOW);

  test('--scheduled --json: the flag\'s shape for scripts, and no LA is told', async () => {
    const [child] = nhsNumbers(1);
    await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
    const result = await query(child, '--scheduled', '--json', ...ED);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toEqual({
      nhsNumber: child,
      flagged: true,
      plans: [{ type: 'CPP', start: '2025-01-10', end: null, la: { name: LA706.name, officePhone: LA706.officePhone, emergencyPhone: LA706.emergencyPhone } }],
    });
    expect(await drainedInbox(hub, 'LA706CSC')).toEqual([]);
  }, SLOW);

  test('not flagged: says so, exit 0; as JSON flagged false and no plans', async () => {
    const [child] = nhsNumbers(1);
    const text = await query(child, ...ED);
    expect([text.code, text.stdout, text.stderr]).toEqual([0, `NOT FLAGGED  NHS number ${child}: no plan on the register\n`, '']);
    const json = await query(child, '--json', ...ED);
    expect(JSON.parse(json.stdout)).toEqual({ nhsNumber: child, flagged: false, plans: [] });
  }, SLOW);

  test('--history with a request id: the access just recorded, who (a name beyond ASCII) and where; a retry with the same id tells the LA once', async () => {
    const [child] = nhsNumbers(1);
    await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
    const user = ['--user-name', NAME, '--user-role', ED_USER['X-User-Role']];
    const first = await query(child, '--history', '--request-id', `cli-${child}`, ...user);
    const again = await query(child, '--history', '--json', '--request-id', `cli-${child}`, ...user);
    expect([first.code, again.code]).toEqual([0, 0]);
    const history = first.stdout.trimEnd().split('\n').slice(-3);
    expect(history[0]).toBe('accesses (1)');
    expect(history[1].split(/\s{2,}/)).toEqual(['WHEN', 'BY', 'ROLE', 'CARE SETTING']);
    expect(history[2].split(/\s{2,}/)).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/), NAME, ED_USER['X-User-Role'], 'Leeds General Infirmary Emergency Department (RR8)',
    ]);
    expect(JSON.parse(again.stdout).accesses).toEqual([
      { at: expect.any(String), by: NAME, role: ED_USER['X-User-Role'], careSetting: 'Leeds General Infirmary Emergency Department (RR8)' },
    ]);
    expect(await drainedInbox(hub, 'LA706CSC')).toHaveLength(1);
  }, SLOW);

  test('--config: the PAS adapter file\'s query section, its URL defaulting to the adapter\'s hub; a system client needs no user', async () => {
    const [child] = nhsNumbers(1);
    await uploadPlans(hub, LA706, 'LA706CSC', [planRecord(child)]);
    const dir = mkdtempSync(join(tmpdir(), 'cpisx-query-'));
    const file = join(dir, 'pas.yaml');
    const raw = parseYaml(readFileSync('config/pas.yaml', 'utf8'));
    writeFileSync(file, stringifyYaml({ ...raw, mesh: { ...raw.mesh, url: hub.url }, query: { clientId: QUERY_CLIENTS.miu.id, secret: QUERY_CLIENTS.miu.secret } }));
    const result = await cpisx(['query', child, '--config', file, '--scheduled', '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({ flagged: true, plans: [{ la: { name: LA706.name } }] });
    const sample = await cpisx(['query', child, '--config', 'config/pas.yaml', '--hub', hub.url, '--scheduled', '--json']);
    expect([sample.code, JSON.parse(sample.stdout).flagged]).toEqual([0, true]);
  }, SLOW);

  test('refusals are one line with the hub\'s code and HTTP status, exit 1; the secret is never shown', async () => {
    const invalid = await query('1234567890', ...ED);
    expect([invalid.code, invalid.stdout]).toEqual([1, '']);
    expect(invalid.stderr).toMatch(/^cpisx: INVALID_SEARCH_DATA: the hub refused the query \(HTTP 400\): .*NHS number.*\n$/);
    const noUser = await query('9689177621');
    expect(noUser.code).toBe(1);
    expect(noUser.stderr).toMatch(/^cpisx: PRECONDITION_FAILED: the hub refused the query \(HTTP 400\): X-User-Name is required/);
    const wrong = await cpisx(['query', '9689177621', ...ED], { ...edEnv(), CPISX_QUERY_SECRET: 'not-the-secret' });
    expect([wrong.code, wrong.stdout, wrong.stderr]).toEqual([1, '', 'cpisx: INVALID_CLIENT: the hub refused client rr8-ed\'s credentials (HTTP 401): unknown client or wrong secret\n']);
    expect(`${invalid.stderr}${wrong.stderr}`).not.toMatch(/rr8-ed-secret|not-the-secret/);
  }, SLOW);

  test('an unreachable hub and a missing client are clear lines', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const down = await cpisx(['query', '9689177621', ...ED], { ...edEnv(), CPISX_HUB: nowhere });
    expect([down.code, down.stderr]).toEqual([1, `cpisx: UNREACHABLE: cannot reach the hub at ${nowhere}: ECONNREFUSED\n`]);
    const nobody = await cpisx(['query', '9689177621'], { CPISX_HUB: hub.url, CPISX_QUERY_CLIENT: undefined });
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/^cpisx: USAGE: say which query client asks/);
  }, SLOW);
});
