import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { parsePlanUpdateAck } from '../../engine/cpis/xml/plan-update-ack.js';
import type { TestHub } from '../support/hub.js';
import { attendanceXml, client, collect, LA706, LA708, NHS, planFile, planRecord, startCpisHub } from '../support/cpis.js';

let hub: TestHub;
beforeAll(async () => { hub = await startCpisHub(); });
afterAll(() => hub.stop());

const trust = () => client(hub, 'RR8PAS');
const la706 = () => client(hub, 'LA706CSC');
const la708 = () => client(hub, 'LA708CSC');
const value = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`unexpected parse failure: ${JSON.stringify(r.error)}`);
  return r.value;
};

async function upload(la: ReturnType<typeof la706>, xml: string, localId: string) {
  await la.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: xml, localId });
  const [ack] = await collect(la, 1);
  expect(ack.headers.workflowId).toBe('CPIS_PLAN_UPDATE_ACK');
  return value(parsePlanUpdateAck(ack.body));
}

async function attend(nhsNumber: string, attendanceId: string) {
  await trust().send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(nhsNumber, attendanceId), localId: attendanceId });
  const [flag] = await collect(trust(), 1);
  expect(flag.headers.workflowId).toBe('CPIS_ATTENDANCE_RESPONSE');
  return value(parseFlagResponse(flag.body));
}

test('an LA uploads plans; an attendance flags the child to the trust with the LA phones and notifies the LA', async () => {
  const ack = await upload(la706(), planFile(LA706, 1, [planRecord(NHS[0]), planRecord(NHS[1], { type: 'LAC' })]), 'upload-1');
  expect(ack).toMatchObject({ sequence: 1, status: 'CPF02', recordsProcessed: 2 });
  expect(ack.results.map((r) => r.code)).toEqual(['CPR06', 'CPR06']);

  const flag = await attend(NHS[0], 'ATT-1');
  expect(flag.attendanceId).toBe('ATT-1');
  expect(flag.plans).toEqual([{ type: 'CPP', start: '2025-01-10', la: LA706 }]);

  const [notice] = await collect(la706(), 1);
  expect(notice.headers.workflowId).toBe('CPIS_ACCESS_NOTIFICATION');
  const notification = value(parseAccessNotification(notice.body));
  expect(notification).toMatchObject({ attendanceId: 'ATT-1', subject: { nhsNumber: NHS[0] }, careSetting: { ods: 'RR8' } });
  expect(notification.plans).toEqual([{ type: 'CPP', start: '2025-01-10', localId: `CPP-${NHS[0]}` }]);
});

test('an unknown child: the flag says none and no LA hears of it', async () => {
  const flag = await attend(NHS[2], 'ATT-2');
  expect(flag.plans).toEqual([]);
  expect(await la706().count()).toBe(0);
  expect(await la708().count()).toBe(0);
});

test('invalid records are rejected one by one (CPF03) with their reasons', async () => {
  const ack = await upload(la706(), planFile(LA706, 2, [
    planRecord('9434765918'),
    planRecord(NHS[2], { start: '2025-06-01', end: '2025-05-01' }),
    planRecord(NHS[2], { type: 'UCPP' }),
  ]), 'upload-2');
  expect(ack.status).toBe('CPF03');
  expect(ack.results.map((r) => [r.code, r.detail])).toEqual([
    ['CPR07', 'INVALID_NHS_NUMBER'], ['CPR07', 'END_BEFORE_START'], ['CPR06', undefined],
  ]);
});

test('another LA cannot end a record it does not hold; its own plan for the same child adds a second flag', async () => {
  const end = planRecord(NHS[1], { type: 'LAC', action: 'end', end: '2026-11-01' });
  const refused = await upload(la708(), planFile(LA708, 1, [end]), 'upload-708-1');
  expect(refused.status).toBe('CPF04');
  expect(refused.results[0]).toMatchObject({ code: 'CPR07', detail: 'OWNED_BY_ANOTHER_LA' });

  await upload(la708(), planFile(LA708, 2, [planRecord(NHS[1], { localId: 'K-1' })]), 'upload-708-2');
  const flag = await attend(NHS[1], 'ATT-3');
  expect(flag.plans.map((p) => [p.type, p.la.ods]).sort()).toEqual([['CPP', '708'], ['LAC', '706']]);
  expect((await collect(la706(), 1)).map((m) => m.headers.workflowId)).toEqual(['CPIS_ACCESS_NOTIFICATION']);
  expect((await collect(la708(), 1)).map((m) => m.headers.workflowId)).toEqual(['CPIS_ACCESS_NOTIFICATION']);
});

test('an ended plan is still shown but notifies no one; a deleted one is gone at once', async () => {
  await upload(la706(), planFile(LA706, 3, [planRecord(NHS[0], { action: 'end', end: '2026-11-01' })]), 'upload-3');
  const ended = await attend(NHS[0], 'ATT-4');
  expect(ended.plans).toEqual([{ type: 'CPP', start: '2025-01-10', end: '2026-11-01', la: LA706 }]);
  expect(await la706().count()).toBe(0);

  await upload(la706(), planFile(LA706, 4, [planRecord(NHS[0], { action: 'delete', plan: { type: 'CPP', start: '2025-01-10', deleteDate: '2026-11-20' } })]), 'upload-4');
  expect((await attend(NHS[0], 'ATT-5')).plans).toEqual([]);
});

test('an unreadable file gets CPF01 with sequence -1 and is held as failed for staff', async () => {
  await la706().send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: '<planUpdate><oops></planUpdate>', localId: 'broken-1' });
  const [ack] = await collect(la706(), 1);
  const parsed = value(parsePlanUpdateAck(ack.body));
  expect(parsed).toMatchObject({ sequence: -1, status: 'CPF01', recordsProcessed: 0 });
  expect(parsed.reason).toMatch(/line 1/);

  const failed = await hub.failed!.list();
  const held = failed.find((f) => f.localId === 'broken-1');
  expect(held).toMatchObject({ workflowId: 'CPIS_PLAN_UPDATE', from: 'LA706CSC', reason: 'NOT_READABLE' });
  expect(held!.attempts).toHaveLength(1);
});

test('an attendance that fails its schema gets a REPORT (15) back and is held as failed', async () => {
  await trust().send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml('96891776', 'ATT-BAD'), localId: 'ATT-BAD' });
  const [report] = await collect(trust(), 1);
  expect(report.headers).toMatchObject({ messageType: 'REPORT', statusCode: '15', localId: 'ATT-BAD', statusSuccess: false });
  const held = (await hub.failed!.list()).find((f) => f.localId === 'ATT-BAD');
  expect(held?.reason).toBe('SCHEMA_INVALID');
});
