import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { fileLocalId } from '../../adapters/sources/local-id.js';
import type { MeshReport } from '../../engine/cpis/types.js';
import { parseMeshReport } from '../../engine/cpis/xml/mesh-report.js';
import type { ReadyProcess } from '../../scripts/spawn-ready.js';
import { adapterSite, drop, startAdapter, type AdapterSite } from '../support/adapter-process.js';
import { attendanceXml, LA706, planFile, planRecord, SAMPLE_CONFIG } from '../support/cpis.js';
import { deleteKeys } from '../support/hub.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { nhsNumbers, waitFor } from '../support/worker-processes.js';

/**
 * A file the hub takes and then sends a MESH REPORT on, with the hub and the adapter as
 * real processes: the adapter's sink gets a readable report document (a REPORT has no body)
 * and the file leaves sent/ for rejected/ with the reason beside it.
 */
const prefix = `test:e2e-reports:${randomUUID().slice(0, 8)}:`;
const hubs: HubProcess[] = [];
const adapters: ReadyProcess[] = [];

afterAll(async () => {
  for (const p of adapters) await p.stop('SIGKILL');
  for (const hub of hubs) await hub.stop();
  await deleteKeys(`${prefix}*`);
});

async function startHub(config: string, keys: string): Promise<HubProcess> {
  const hub = await spawnHub(config, { REDIS_KEY_PREFIX: `${prefix}${keys}:` });
  hubs.push(hub);
  return hub;
}

async function start(site: AdapterSite): Promise<ReadyProcess> {
  const p = await startAdapter(site);
  adapters.push(p);
  return p;
}

/** The MESH message id the adapter logged for the file it sent. */
function sentAs(adapter: ReadyProcess, file: string): string {
  const line = adapter.output().split('\n').find((l) => l.includes('"file sent"') && l.includes(`"file":"${file}"`));
  if (!line) throw new Error(`the adapter did not log sending ${file}`);
  return (JSON.parse(line) as { messageId: string }).messageId;
}

/** Waits for the report document in the sink folder and the file in rejected/; returns the report. */
async function reportAndRejection(sinkFolder: string, dropFolder: string, file: string): Promise<{ name: string; size: number; report: MeshReport }> {
  const rejected = join(dropFolder, 'rejected', `${file}.error.txt`);
  const reports = () => readdirSync(sinkFolder).filter((f) => f.endsWith('.xml') && !f.startsWith('.'));
  await waitFor(async () => reports().length > 0 && existsSync(rejected), 60_000,
    () => `sink ${reports().join(', ') || 'empty'}; sent/ ${readdirSync(join(dropFolder, 'sent')).join(', ')}`);
  expect(reports()).toHaveLength(1);
  const [name] = reports();
  const body = readFileSync(join(sinkFolder, name));
  const parsed = parseMeshReport(body);
  if (!parsed.ok) throw new Error(`${name} is not a valid meshReport: ${parsed.error.message}`);
  return { name, size: body.length, report: parsed.value };
}

/** The file has left sent/ (with its message id) for rejected/, with an .error.txt naming the report. */
function expectRejected(dropFolder: string, file: string, xml: string, report: MeshReport): void {
  expect(readdirSync(join(dropFolder, 'sent'))).toEqual([]);
  expect(readFileSync(join(dropFolder, 'rejected', file), 'utf8')).toBe(xml);
  const error = readFileSync(join(dropFolder, 'rejected', `${file}.error.txt`), 'utf8');
  expect(error).toMatch(/^HUB_REPORT: /);
  for (const part of [`error ${report.code}`, report.description!, report.reportId, report.linkedMessageId!]) expect(error).toContain(part);
}

test('an attendance the hub reports on (NHS number fails Modulus 11): the PAS gets a report document, the file moves to rejected/', async () => {
  const hub = await startHub(SAMPLE_CONFIG, 'pas');
  const site = adapterSite('pas', hub.url, (c) => {
    c.sources = { folder: { path: 'attendances', settle: 0.2, poll: 0.2 } };
    c.responses = { poll: 0.3, sink: { folder: { path: 'responses' } } };
  });
  const [attendances, responses] = [site.folder('attendances'), site.folder('responses')];
  const adapter = await start(site);
  const xml = attendanceXml('9689177622', 'BAD-NHS-1');
  drop(attendances, 'BAD-NHS-1.xml', xml);

  const { name, size, report } = await reportAndRejection(responses, attendances, 'BAD-NHS-1.xml');
  const messageId = sentAs(adapter, 'BAD-NHS-1.xml');
  expect(size).toBeGreaterThan(0);
  expect(name).toBe(`${messageId}_R15.xml`);
  expect(report).toEqual({
    reportId: `${messageId}_R15`,
    code: '15',
    description: expect.stringContaining('Modulus 11'),
    event: 'VALIDATE',
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    linkedMessageId: messageId,
    localId: fileLocalId('BAD-NHS-1.xml', Buffer.from(xml)),
    workflowId: 'CPIS_ATTENDANCE',
  });
  expect(report.description).not.toContain('9689177622');
  expectRejected(attendances, 'BAD-NHS-1.xml', xml, report);
}, 120_000);

/**
 * The hub's workers never leave a plan file uncollected, so this hub runs without them
 * (no `cpis` section) and with a short `undeliveredAfter`: the plan file expires in the
 * hub's inbox and the LA gets MESH's non-delivery REPORT (code 14).
 */
function hubWithoutWorkers(): string {
  const config = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  delete config.cpis;
  config.mesh = { ...config.mesh, undeliveredAfter: 2, expirySweepEvery: 0.5 };
  const file = join(mkdtempSync(join(tmpdir(), 'cpisx-')), 'no-workers.yaml');
  writeFileSync(file, stringifyYaml(config));
  return file;
}

test('a plan file the hub reports on (not collected in time): the LA gets a report document, the file moves to rejected/', async () => {
  const hub = await startHub(hubWithoutWorkers(), 'la');
  const site = adapterSite('la', hub.url, (c) => {
    c.poll = 0.3;
    c.sink = { folder: { path: 'notifications' } };
    c.planUploads = { folder: { path: 'plans', settle: 0.2, poll: 0.2 } };
  });
  const [plans, notifications] = [site.folder('plans'), site.folder('notifications')];
  const adapter = await start(site);
  const xml = planFile(LA706, 7, [planRecord(nhsNumbers(1)[0])]);
  drop(plans, 'plan-7.xml', xml);

  const { name, size, report } = await reportAndRejection(notifications, plans, 'plan-7.xml');
  const messageId = sentAs(adapter, 'plan-7.xml');
  expect(size).toBeGreaterThan(0);
  expect(name).toBe(`${messageId}_R14.xml`);
  expect(report).toMatchObject({
    reportId: `${messageId}_R14`,
    code: '14',
    description: expect.any(String),
    event: 'TRANSFER',
    linkedMessageId: messageId,
    localId: fileLocalId('plan-7.xml', Buffer.from(xml)),
    workflowId: 'CPIS_PLAN_UPDATE',
  });
  expectRejected(plans, 'plan-7.xml', xml, report);
}, 120_000);
