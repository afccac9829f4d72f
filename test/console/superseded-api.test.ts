import type { Redis } from 'ioredis';
import { parseInactiveNhsNumber } from '../../engine/cpis/xml/inactive-nhs-number.js';
import { RedisRegister } from '../../engine/register/redis-register.js';
import { RegisterKeys } from '../../engine/register/keys.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import { client, collect, LA706, planFile, planRecord, startCpisHub } from '../support/cpis.js';
import { memoryLogger, type TestHub, testRedis } from '../support/hub.js';
import { Staff, until } from './staff.js';

const PATH = '/nhs-numbers/superseded';
const TODAY = '2026-11-20';

/**
 * Support staff tell the hub an NHS number is superseded: the real hub tells each LA holding
 * records for it, in its mailbox's format, once however often it is told.
 */
describe('POST /console/api/nhs-numbers/superseded', () => {
  let hub: TestHub;
  let redis: Redis;
  let register: RedisRegister;
  let viewer: Staff;
  let operator: Staff;
  let admin: Staff;
  const logs: object[] = [];
  const [OLD, NEW, ORPHAN] = nhsNumbers(3);
  const inbox = async (mailbox: string) => {
    const ids: string[] = [];
    for await (const id of client(hub, mailbox).inboxIds()) ids.push(id);
    return ids;
  };
  const audited = async () => (await viewer.get('/audit', { action: 'nhs-number-superseded' })).body.items;

  beforeAll(async () => {
    hub = await startCpisHub({}, { log: memoryLogger(logs) });
    redis = testRedis();
    register = new RedisRegister(redis, { keys: new RegisterKeys(hub.keyPrefix) });
    [viewer, operator, admin] = await Promise.all(['viewer', 'operator', 'admin'].map((u) => Staff.login(hub.url, u)));
    // A native LA's upload through MESH and the workers; LA 709's plan straight onto the register.
    await client(hub, 'LA706CSC').send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA706, 1, [planRecord(OLD)]), localId: 'u706' });
    expect(await collect(client(hub, 'LA706CSC'), 1)).toHaveLength(1);
    const file = { sequence: 1, records: [planRecord(OLD, { localId: 'BD-77' }), planRecord(OLD, { type: 'LAC', localId: 'BD-78' })] };
    expect((await register.applyPlanUpdate('709', file, TODAY)).map((r) => r.code)).toEqual(['CPR06', 'CPR06']);
    // An LA no longer configured still holds a record for another superseded number.
    await register.applyPlanUpdate('999', { sequence: 1, records: [planRecord(ORPHAN)] }, TODAY);
  }, 30_000);

  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  test('each LA holding records gets the notification in its format; an LA without records gets nothing', async () => {
    const answer = await admin.post(PATH, { old: OLD, new: NEW });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      records: 3,
      notified: [
        { la: '706', mailbox: 'LA706CSC', format: 'native', messageId: expect.stringMatching(/^INACTIVE_/), records: 1, alreadySent: false },
        { la: '709', mailbox: 'LA709CSC', format: 'dms', messageId: expect.stringMatching(/^INACTIVE_/), records: 2, alreadySent: false },
      ],
      notNotified: [],
    });

    const [native] = await collect(client(hub, 'LA706CSC'), 1);
    expect([native.headers.workflowId, native.headers.from]).toEqual(['CPIS_ACCESS_NOTIFICATION', 'X26HUB']);
    const parsed = parseInactiveNhsNumber(native.text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value).toEqual({
      nhsNumber: OLD, replacement: NEW, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      la: { ods: '706', name: LA706.name }, records: [{ type: 'CPP', localId: `CPP-${OLD}` }],
    });

    const [dms] = await collect(client(hub, 'LA709CSC'), 1);
    expect(dms.headers.workflowId).toBe('CPIS_ACCESS_NOTIFICATION');
    expect(dms.text).toMatch(/<CP-ISInactiveNHSNumberNotification [^>]*xmlns="urn:hl7-org:v3"/);
    const patients = dms.text.split('<pDSInactivePatient').slice(1);
    expect(patients).toHaveLength(2);
    patients.forEach((patient, i) => {
      expect(patient).toContain(`extension="${OLD}"`);
      expect(patient).toContain(`extension="${['BD-77', 'BD-78'][i]}"`);
      expect(patient).toMatch(new RegExp(`<replacedBy[^]*extension="${NEW}"`));
    });
    expect(dms.text).toContain(`id root="${answer.body.notified[1].messageId.slice('INACTIVE_'.length)}"`);
    expect(await inbox('LA708CSC')).toEqual([]);
    const notices = answer.body.notified.map((n: { messageId: string }) => n.messageId).sort();
    for (const nhsNumber of [OLD, NEW]) {
      const found = (await viewer.get('/messages', { nhsNumber, workflow: 'CPIS_ACCESS_NOTIFICATION' })).body.items;
      expect(found.map((m: { id: string }) => m.id).sort()).toEqual(notices); // staff find the notices by either number
    }
    // The records stay until the LA re-uploads them.
    expect(await register.lookup(OLD, TODAY)).toHaveLength(3);
  }, 30_000);

  test('told again, the hub sends nothing new and answers with the same message ids', async () => {
    const before = (await audited())[0];
    const again = await admin.post(PATH, { old: OLD, new: NEW });
    expect(again.status).toBe(200);
    expect(again.body.notified.map((n: { messageId: string; alreadySent: boolean }) => [n.messageId, n.alreadySent]))
      .toEqual(before.messageIds.map((id: string) => [id, true]));
    expect([await inbox('LA706CSC'), await inbox('LA709CSC')]).toEqual([[], []]);
  });

  test('an LA with no mailbox for the workflow is reported, not skipped', async () => {
    const answer = await admin.post(PATH, { old: ORPHAN, new: NEW });
    expect(answer.body).toEqual({
      records: 1,
      notified: [],
      notNotified: [{ la: '999', records: 1, reason: 'NO_MAILBOX', message: 'LA 999 has no mailbox for CPIS_ACCESS_NOTIFICATION' }],
    });
  });

  test('only an admin may, with the CSRF token', async () => {
    for (const staff of [viewer, operator]) {
      const refused = await staff.post(PATH, { old: OLD, new: NEW });
      expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    }
    const noToken = await admin.post(PATH, { old: OLD, new: NEW }, null);
    expect([noToken.status, noToken.body.code]).toEqual([403, 'CSRF']);
  });

  test('numbers that are not NHS numbers, or the same twice, are refused with a code', async () => {
    const refused = async (body: unknown) => {
      const answer = await admin.post(PATH, body);
      return [answer.status, answer.body.code, answer.body.message];
    };
    expect(await refused({ old: OLD.slice(0, 9) + String((Number(OLD[9]) + 1) % 10), new: NEW }))
      .toEqual([400, 'INVALID_NHS_NUMBER', 'the old number: the NHS number fails the Modulus 11 check']);
    expect(await refused({ old: OLD, new: '12345' })).toEqual([400, 'INVALID_NHS_NUMBER', 'the new number: the NHS number is not 10 digits']);
    expect(await refused({ old: OLD, new: `${OLD.slice(0, 3)} ${OLD.slice(3, 6)} ${OLD.slice(6)}` }))
      .toEqual([400, 'SAME_NHS_NUMBER', 'the old and new NHS numbers are the same']);
    expect((await refused({ old: OLD }))[1]).toBe('BAD_REQUEST');
  });

  test('the audit lists each call with its message ids, the numbers masked; logs carry ids only', async () => {
    const entries = await until(async () => {
      const items = await audited();
      return items.length >= 10 ? items : undefined;
    });
    const first = entries.at(-1);
    expect(first).toMatchObject({ user: 'admin', outcome: 'ok', messageIds: [expect.stringMatching(/^INACTIVE_/), expect.stringMatching(/^INACTIVE_/)] });
    expect(first.detail).toBe(`*******${OLD.slice(-3)} superseded by *******${NEW.slice(-3)}: 3 records; notified: 706, 709`);
    expect(entries.map((e: { user: string; outcome: string }) => [e.user, e.outcome])).toEqual([
      ['admin', 'BAD_REQUEST'], ['admin', 'SAME_NHS_NUMBER'], ['admin', 'INVALID_NHS_NUMBER'], ['admin', 'INVALID_NHS_NUMBER'],
      ['admin', 'CSRF'], ['operator', 'FORBIDDEN'], ['viewer', 'FORBIDDEN'], ['admin', 'ok'], ['admin', 'ok'], ['admin', 'ok'],
    ]);
    expect(entries[entries.length - 2].detail).toMatch(/notified: 706 \(already sent\), 709 \(already sent\)$/);
    const text = JSON.stringify(entries) + JSON.stringify(logs);
    for (const n of [OLD, NEW, ORPHAN]) expect(text).not.toContain(n);
    expect(logs).toEqual(expect.arrayContaining([expect.objectContaining({ message: 'inactive NHS number notification sent', mailbox: 'LA709CSC' })]));
  });
});
