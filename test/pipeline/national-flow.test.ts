import { rootOf } from '../../engine/cpis/recognise.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { parsePlanUpdateAck } from '../../engine/cpis/xml/plan-update-ack.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import type { TestHub } from '../support/hub.js';
import { attendanceXml, client, collect, LA706, LA709, nationalPlanFile, nationalRecord, planFile, planRecord, startCpisHub } from '../support/cpis.js';
import { until } from '../support/wait.js';

/**
 * An LA whose existing CP-IS system speaks the national documents (LA709CSC, `format: dms`)
 * beside one on the hub's own dialect (LA706CSC): the same register, each answered in its own.
 */
let hub: TestHub;
beforeAll(async () => { hub = await startCpisHub(); });
afterAll(() => hub.stop());

const bradford = () => client(hub, 'LA709CSC');
const leeds = () => client(hub, 'LA706CSC');
const trust = () => client(hub, 'RR8PAS');
const HL7 = 'urn:hl7-org:v3';
/** The national wire carries phones as `tel:` values, which have no spaces. */
const asSent = (la: typeof LA709) => ({ ...la, officePhone: la.officePhone.replace(/ /g, ''), emergencyPhone: la.emergencyPhone.replace(/ /g, '') });

/** The one FileResponse that answers this upload, as text. */
async function uploadNational(xml: string, localId: string): Promise<string> {
  await bradford().send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: xml, localId });
  const [ack] = await collect(bradford(), 1);
  expect(ack.headers).toMatchObject({ workflowId: 'CPIS_PLAN_UPDATE_ACK', localId });
  expect(rootOf(ack.body)).toEqual({ namespace: HL7, name: 'FileResponse' });
  return ack.text;
}

const attr = (xml: string, element: string, attribute: string) =>
  [...xml.matchAll(new RegExp(`<${element}\\b[^>]*\\b${attribute}="([^"]*)"`, 'g'))].map((m) => m[1]);

async function attend(nhsNumber: string, attendanceId: string) {
  await trust().send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(nhsNumber, attendanceId), localId: attendanceId });
  const [flag] = await collect(trust(), 1);
  // Done once neither the attendance nor a notification order of it waits in the hub's inbox.
  const attendance = flag.headers.linkedMsgId!;
  await until(async () => ((await hub.store.list('X26HUB', { limit: 1000 })).ids.some((id) => id.startsWith(attendance)) ? undefined : true));
  const parsed = parseFlagResponse(flag.body);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

test('a national upload is applied and answered with a FileResponse; an attendance notifies the LA with the national notification', async () => {
  const [child] = nhsNumbers(1);
  const response = await uploadNational(nationalPlanFile(LA709, '2201', [nationalRecord(child)]), 'nat-2201');
  expect(attr(response, 'id', 'extension')).toContain('2201');
  expect(attr(response, 'code', 'code')).toContain('CPF02');

  const flag = await attend(child, 'ATT-NAT-1');
  expect(flag.plans).toEqual([{ type: 'CPP', start: '2025-01-10', la: asSent(LA709) }]);
  const [notice] = await collect(bradford(), 1);
  expect(notice.headers.workflowId).toBe('CPIS_ACCESS_NOTIFICATION');
  expect(rootOf(notice.body)).toEqual({ namespace: HL7, name: 'CP-ISAccessToServiceNotification' });
  expect(notice.text).toContain(`extension="${child}"`);
  expect(notice.text).toContain(`extension="BD-${child}"`);
  expect(notice.text).toContain('2201'); // referredToLAUploadFile: the file that set the record
});

test('a child with plans from a native LA and a national LA: each LA is told in its own dialect', async () => {
  const [child] = nhsNumbers(1);
  await leeds().send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA706, 2202, [planRecord(child)]), localId: 'mix-706' });
  await collect(leeds(), 1);
  await uploadNational(nationalPlanFile(LA709, '2203', [nationalRecord(child, { plans: [{ type: 'LAC', start: '202502010900' }] })]), 'mix-709');

  const flag = await attend(child, 'ATT-NAT-MIX');
  expect(flag.plans.map((p) => [p.type, p.la.ods]).sort()).toEqual([['CPP', '706'], ['LAC', '709']]);
  const [native] = await collect(leeds(), 1);
  const [national] = await collect(bradford(), 1);
  expect(rootOf(native.body)?.name).toBe('accessNotification');
  expect(rootOf(national.body)?.name).toBe('CP-ISAccessToServiceNotification');
});

test('the LA\'s uploaded phones are what the trust is given', async () => {
  const [child] = nhsNumbers(1);
  const moved = { ...LA709, officePhone: '01274 000111', emergencyPhone: '01274 000999' };
  await uploadNational(nationalPlanFile(moved, '2204', [nationalRecord(child)]), 'nat-2204');
  const flag = await attend(child, 'ATT-NAT-PHONES');
  expect(flag.plans[0].la).toEqual(asSent(moved));
  await collect(bradford(), 1);
});

test('a record with a bad NHS number: CPR04 at its place in the file, the rest loaded (CPF03)', async () => {
  const [good] = nhsNumbers(1);
  const response = await uploadNational(nationalPlanFile(LA709, '2205', [nationalRecord(good), nationalRecord('9434765918')]), 'nat-2205');
  expect(attr(response, 'code', 'code')).toEqual(expect.arrayContaining(['CPF03', 'CPR04']));
  expect(response).toContain('<location>/File/record[2]</location>');
});

test('a wrong count is CPF01; a file naming another organisation is refused whole; neither is applied', async () => {
  const [child] = nhsNumbers(1);
  const wrongCount = nationalPlanFile(LA709, '2206', [nationalRecord(child)]).replace(/<transmissionQuantity value="1"\/>/, '<transmissionQuantity value="2"/>');
  expect(wrongCount).toContain('value="2"');
  expect(attr(await uploadNational(wrongCount, 'nat-2206'), 'code', 'code')).toContain('CPF01');
  expect(attr(await uploadNational(nationalPlanFile(LA706, '2207', [nationalRecord(child)]), 'nat-2207'), 'code', 'code')).toContain('CPF04');
  expect((await attend(child, 'ATT-NAT-NONE')).plans).toEqual([]);
});

test('an unreadable file from a national mailbox gets a FileResponse with file id -1, and is held', async () => {
  const response = await uploadNational('<File xmlns="urn:hl7-org:v3"><oops/></File>', 'nat-bad');
  expect(attr(response, 'id', 'extension')).toContain('-1');
  expect(attr(response, 'code', 'code')).toContain('CPF01');
  const held = await until(async () => (await hub.failed!.list()).find((f) => f.localId === 'nat-bad'));
  expect(held.reason).toBe('SCHEMA_INVALID');
});

test('a document of another kind on the upload workflow is refused, saying what it was', async () => {
  await leeds().send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: attendanceXml(nhsNumbers(1)[0], 'ATT-WRONG'), localId: 'wrong-kind' });
  const [ack] = await collect(leeds(), 1);
  const parsed = parsePlanUpdateAck(ack.body);
  expect(parsed.ok && parsed.value).toMatchObject({ sequence: -1, status: 'CPF01', reason: expect.stringContaining('attendance') });
});
