import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryId } from '../../engine/cpis/dms/access-notification.js';
import { HL7_NAMESPACE } from '../../engine/cpis/dms/hl7.js';
import { rootOf } from '../../engine/cpis/recognise.js';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { parsePlanUpdateAck } from '../../engine/cpis/xml/plan-update-ack.js';
import type { ReadyProcess } from '../../scripts/spawn-ready.js';
import { adapterSite, drop, startAdapter, type AdapterSettings } from '../support/adapter-process.js';
import { attendanceXml, LA706, LA709, nationalPlanFile, nationalRecord, planFile, planRecord, SAMPLE_CONFIG } from '../support/cpis.js';
import { deleteKeys } from '../support/hub.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { readFileResponse, readNationalAccess } from '../support/national-documents.js';
import { until } from '../support/wait.js';
import { nhsNumbers } from '../support/worker-processes.js';

/**
 * An LA whose existing CP-IS system speaks the national documents (LA709CSC, `format: dms`,
 * `config/la-national.yaml`) beside one on our dialect (LA706CSC) and a trust, each through
 * its adapter, with the hub: every one a real process, talking MESH.
 */
const prefix = `test:e2e-national:${randomUUID().slice(0, 8)}:`;
let hub: HubProcess;
const adapters: ReadyProcess[] = [];

beforeAll(async () => {
  hub = await spawnHub(SAMPLE_CONFIG, { REDIS_KEY_PREFIX: prefix });
}, 60_000);

afterAll(async () => {
  for (const p of adapters) await p.stop('SIGKILL');
  await hub?.stop();
  await deleteKeys(`${prefix}*`);
});

/** An LA's adapter polling fast, taking files from `plans/` and delivering to `notifications/`. */
const quickLa = (c: AdapterSettings) => {
  c.poll = 0.2;
  c.planUploads = { folder: { path: 'plans', settle: 0.1, poll: 0.1 } };
  c.sink = { folder: { path: 'notifications' } };
};

/** The content of a file once it is there. */
const arrived = (file: string) => until(() => (existsSync(file) ? readFileSync(file) : undefined), 30_000, 100);

/** The one file a sink folder holds, once it holds one, with its name. */
async function delivered(folder: string): Promise<{ name: string; body: Buffer }> {
  const name = await until(() => readdirSync(folder).find((f) => f.endsWith('.xml') && !f.startsWith('.')), 30_000, 100);
  expect(readdirSync(folder).filter((f) => f.endsWith('.xml'))).toEqual([name]);
  return { name, body: readFileSync(join(folder, name)) };
}

test('a national LA beside a native one: its File is answered with a FileResponse beside it, a trust\'s attendance flags both, each LA is told in its own dialect', async () => {
  const [child] = nhsNumbers(1);
  const leeds = adapterSite('la', hub.url, quickLa);
  const bradford = adapterSite('la', hub.url, quickLa, 'la-national');
  const pas = adapterSite('pas', hub.url, (c) => {
    c.sources = { folder: { path: 'attendances', settle: 0.1, poll: 0.1 } };
    c.responses = { poll: 0.2, sink: { folder: { path: 'responses' } } };
  });
  adapters.push(...await Promise.all([leeds, bradford, pas].map((site) => startAdapter(site))));

  drop(leeds.folder('plans'), 'leeds-31.xml', planFile(LA706, 31, [planRecord(child)]));
  drop(bradford.folder('plans'), 'bradford-3101.xml', nationalPlanFile(LA709, '3101', [nationalRecord(child, { plans: [{ type: 'LAC', start: '202502010900' }] })]));
  const national = await arrived(join(bradford.dir, 'plans/sent/bradford-3101.xml.ack.xml'));
  expect(rootOf(national)).toEqual({ namespace: HL7_NAMESPACE, name: 'FileResponse' });
  expect(readFileResponse(national)).toEqual({ fileId: '3101', status: 'CPF02' });
  const native = parsePlanUpdateAck(await arrived(join(leeds.dir, 'plans/sent/leeds-31.xml.ack.xml')));
  expect(native.ok && native.value).toMatchObject({ sequence: 31, status: 'CPF02' });

  drop(pas.folder('attendances'), 'ATT-E2E-NAT.xml', attendanceXml(child, 'ATT-E2E-NAT'));
  const attendance = (await arrived(join(pas.dir, 'attendances/sent/ATT-E2E-NAT.xml.message-id'))).toString().trim();
  const flag = parseFlagResponse((await delivered(pas.folder('responses'))).body);
  if (!flag.ok) throw new Error(flag.error.message);
  expect(flag.value.attendanceId).toBe('ATT-E2E-NAT');
  expect(flag.value.plans.map((p) => [p.la.ods, p.type]).sort()).toEqual([['706', 'CPP'], ['709', 'LAC']]);

  const toBradford = await delivered(bradford.folder('notifications'));
  expect(toBradford.name).toBe(`${attendance}_N709.xml`);
  expect(rootOf(toBradford.body)).toEqual({ namespace: HL7_NAMESPACE, name: 'CP-ISAccessToServiceNotification' });
  expect(readNationalAccess(toBradford.body)).toEqual({ queryIds: [queryId(attendance)], nhsNumbers: [child], la: LA709.ods });
  expect(toBradford.body.toString()).toContain(`extension="BD-${child}"`); // the LA's own id for the child, from its upload
  const toLeeds = await delivered(leeds.folder('notifications'));
  expect(toLeeds.name).toBe(`${attendance}_N706.xml`);
  const leedsNotice = parseAccessNotification(toLeeds.body);
  expect(leedsNotice.ok && leedsNotice.value).toMatchObject({ attendanceId: 'ATT-E2E-NAT', subject: { nhsNumber: child } });

  for (const p of adapters) expect(await p.stop()).toBe(0);
}, 120_000);
