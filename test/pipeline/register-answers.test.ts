import { addMonths } from '../../engine/cpis/register/dates.js';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { parsePlanUpdateAck } from '../../engine/cpis/xml/plan-update-ack.js';
import { today } from '../../engine/pipeline/worker-context.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import type { TestHub } from '../support/hub.js';
import { attendanceXml, client, collect, LA706, planFile, planRecord, startCpisHub } from '../support/cpis.js';
import { until } from '../support/wait.js';

/** What the hub answers must describe what it did with this very message (ARCHITECTURE.md invariant 2). */
let hub: TestHub;
beforeAll(async () => { hub = await startCpisHub(); });
afterAll(() => hub.stop());

const la = () => client(hub, 'LA706CSC');
const trust = () => client(hub, 'RR8PAS');
const value = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`unexpected parse failure: ${JSON.stringify(r.error)}`);
  return r.value;
};

async function upload(xml: string, localId: string) {
  await la().send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: xml, localId });
  const [ack] = await collect(la(), 1);
  return value(parsePlanUpdateAck(ack.body));
}

/** The flag, once the hub has finished with the attendance and anything it ordered. */
async function attend(nhsNumber: string, attendanceId: string) {
  await trust().send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(nhsNumber, attendanceId), localId: attendanceId });
  const [flag] = await collect(trust(), 1);
  await until(async () => ((await hub.store.count('X26HUB')) === 0 ? true : undefined));
  return value(parseFlagResponse(flag.body));
}

test('a different file that reuses a sequence is applied and answered with its own records', async () => {
  const [childA, childB] = nhsNumbers(2);
  const first = await upload(planFile(LA706, 41, [planRecord(childA)]), 'seq-41-a');
  expect(first.results).toEqual([{ position: 1, localId: `CPP-${childA}`, code: 'CPR06' }]);

  const second = await upload(planFile(LA706, 41, [planRecord(childB)]), 'seq-41-b');
  expect(second).toMatchObject({ sequence: 41, status: 'CPF02' });
  expect(second.results).toEqual([{ position: 1, localId: `CPP-${childB}`, code: 'CPR06' }]);
  expect((await attend(childB, 'ATT-SEQ')).plans).toMatchObject([{ type: 'CPP', la: { ods: '706' } }]);
  await collect(la(), 1); // childB's notification
});

test('an identical resend under a new MESH local id answers as the first did and applies nothing twice', async () => {
  const [child] = nhsNumbers(1);
  const xml = planFile(LA706, 42, [planRecord(child), planRecord(child, { localId: 'again' })]);
  const first = await upload(xml, 'seq-42-a');
  expect(first.results.map((r) => r.detail ?? r.code)).toEqual(['CPR06', 'OPEN_PLAN_EXISTS']);
  expect(await upload(xml, 'seq-42-b')).toEqual(first);
});

test('a plan ended today is shown ended in the flag, and its LA is not notified', async () => {
  const [child] = nhsNumbers(1);
  await upload(planFile(LA706, 43, [planRecord(child)]), 'seq-43');
  const ended = await upload(planFile(LA706, 44, [planRecord(child, { action: 'end', end: today() })]), 'seq-44');
  expect(ended.status).toBe('CPF02');
  expect((await attend(child, 'ATT-ENDED-TODAY')).plans).toEqual([{ type: 'CPP', start: '2025-01-10', end: today(), la: LA706 }]);
  expect(await la().count()).toBe(0);
});

test('a UCPP with a planned end in the future is accepted, flagged open with that end, and its LA is notified', async () => {
  const [mother] = nhsNumbers(1);
  const end = addMonths(today(), 3);
  const accepted = await upload(planFile(LA706, 47, [planRecord(mother, { type: 'UCPP', end })]), 'seq-47');
  expect(accepted).toMatchObject({ status: 'CPF02', results: [{ code: 'CPR06' }] });
  expect((await attend(mother, 'ATT-PLANNED-END')).plans).toEqual([{ type: 'UCPP', start: '2025-01-10', end, la: LA706 }]);
  const [notification] = await collect(la(), 1);
  expect(value(parseAccessNotification(notification.body)).plans).toEqual([{ type: 'UCPP', start: '2025-01-10', end, localId: `UCPP-${mother}` }]);
});

test('a CPP with an end in the future is refused (CPR07 END_IN_FUTURE)', async () => {
  const [child] = nhsNumbers(1);
  const refused = await upload(planFile(LA706, 48, [planRecord(child, { end: addMonths(today(), 3) })]), 'seq-48');
  expect(refused).toMatchObject({ status: 'CPF04', results: [{ code: 'CPR07', detail: 'END_IN_FUTURE' }] });
});

test('a delete without its delete date is refused (CPR07 MISSING_DELETE_DATE) and the plan stays', async () => {
  const [child] = nhsNumbers(1);
  await upload(planFile(LA706, 45, [planRecord(child)]), 'seq-45');
  const refused = await upload(planFile(LA706, 46, [planRecord(child, { action: 'delete' })]), 'seq-46');
  expect(refused).toMatchObject({ status: 'CPF04', results: [{ code: 'CPR07', detail: 'MISSING_DELETE_DATE' }] });
  expect((await attend(child, 'ATT-NOT-DELETED')).plans).toHaveLength(1);
  await collect(la(), 1);
});
