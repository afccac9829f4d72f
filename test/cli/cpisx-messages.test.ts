import { attendanceXml, client, collect, NHS, startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { Staff, until } from '../console/staff.js';
import { cpisx, staffEnv } from './cli-process.js';

const SLOW = 90_000;

/** The real `cpisx` process finds and opens delivered messages through the real hub's search index. */
describe('cpisx messages search and message show', () => {
  let hub: TestHub;
  let attendance: string;
  const run = (...args: string[]) => cpisx(args, staffEnv(hub.url, 'viewer'));

  beforeAll(async () => {
    hub = await startCpisHub();
    const trust = client(hub, 'RR8PAS');
    attendance = await trust.send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(NHS[0], 'ATT-CLI'), localId: 'ATT-CLI' });
    await collect(trust, 1);
    const viewer = await Staff.login(hub.url, 'viewer');
    await until(async () => ((await viewer.get('/messages', { nhsNumber: NHS[0] })).body.items.length ? true : undefined), 15_000);
  }, 30_000);

  afterAll(() => hub.stop());

  test('searches by NHS number as typed and by local id, printing no NHS number', async () => {
    const byNumber = await run('messages', 'search', '--nhs-number', `${NHS[0].slice(0, 3)}-${NHS[0].slice(3)}`);
    expect(byNumber.code).toBe(0);
    expect(byNumber.stdout).toContain(attendance);
    expect(byNumber.stdout).not.toContain(NHS[0]);
    const byLocal = await run('messages', 'search', '--local-id', 'ATT-CLI', '--to', 'RR8PAS', '--json');
    expect(JSON.parse(byLocal.stdout).items.map((m: { id: string; status: string }) => [m.id, m.status])).toEqual([[`${attendance}_FLAG`, 'acknowledged']]);
    const refused = await run('messages', 'search', '--nhs-number', '1234567890');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('INVALID_NHS_NUMBER');
  }, SLOW);

  test('shows a delivered message by id, masked, with its journey', async () => {
    const shown = await run('message', 'show', `${attendance}_FLAG`);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Status\s+acknowledged/);
    expect(shown.stdout).toContain('Journey');
    expect(shown.stdout).not.toContain(NHS[0]);
  }, SLOW);
});
