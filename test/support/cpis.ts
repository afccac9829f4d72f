import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import type { Attendance, PlanRecord, PlanUpdateFile } from '../../engine/cpis/types.js';
import { buildAttendance } from '../../engine/cpis/xml/attendance.js';
import { buildPlanUpdate } from '../../engine/cpis/xml/plan-update.js';
import { startTestHub, type TestHub } from './hub.js';
import type winston from 'winston';

export const SAMPLE_CONFIG = 'config/sample.yaml';

/** The sample exchange's mailboxes and their passwords (config/sample.yaml). */
export const PASSWORDS: Record<string, string> = {
  X26HUB: 'hub-password', RR8PAS: 'trust-password', LA706CSC: 'la706-password', LA708CSC: 'la708-password',
};

/** The sample CP-IS hub with quick retries and stalled-job checks, so failures show within a test. */
export function startCpisHub(
  cpis: Record<string, unknown> = {},
  options: { log?: winston.Logger; keyPrefix?: string; overrides?: Record<string, unknown> } = {},
): Promise<TestHub> {
  const sample = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as { cpis: Record<string, unknown> };
  return startTestHub(
    { ...options.overrides, cpis: { ...sample.cpis, retry: { attempts: 3, baseDelay: 0.05, maxDelay: 0.2 }, sweepEvery: 0.5, stalledAfter: 2, ...cpis } },
    { file: SAMPLE_CONFIG, log: options.log, keyPrefix: options.keyPrefix },
  );
}

/** The sample configuration's workflows, for tests that change one of them. */
export function sampleWorkflows(): { id: string; senders: string[]; recipients: string[]; reply?: string }[] {
  return (parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as { workflows: [] }).workflows;
}

export function client(hub: TestHub, mailboxId: string): MeshClient {
  return new MeshClient({ baseUrl: hub.url, mailboxId, password: PASSWORDS[mailboxId], sharedKey: 'TestKey', retry: { attempts: 2, baseDelayMs: 50 } });
}

export const LA706 = { ods: '706', name: 'Leeds City Council', officePhone: '0113 222 4401', emergencyPhone: '0113 240 9536' };
export const LA708 = { ods: '708', name: 'Kirklees Council', officePhone: '01484 456848', emergencyPhone: '01484 414933' };

export function planRecord(nhsNumber: string, overrides: Partial<PlanRecord> & { type?: 'CPP' | 'LAC' | 'UCPP'; start?: string; end?: string } = {}): PlanRecord {
  const { type = 'CPP', start = '2025-01-10', end, ...rest } = overrides;
  return {
    localId: `${type}-${nhsNumber}`,
    action: 'upsert',
    subject: { nhsNumber, familyName: 'Testchild', givenName: 'Alex', birthDate: '2015-03-01', role: type === 'UCPP' ? 'mother' : 'child' },
    plan: { type, start, end },
    ...rest,
  };
}

export function planFile(la: typeof LA706, sequence: number, records: PlanRecord[]): string {
  const file: PlanUpdateFile = { sequence, created: '2026-11-01T09:00:00Z', la, recordCount: records.length, records };
  return buildPlanUpdate(file);
}

export function attendanceXml(nhsNumber: string, attendanceId: string, overrides: Partial<Attendance> = {}): string {
  return buildAttendance({
    attendanceId,
    arrival: '2026-11-20T22:14:00Z',
    careSetting: { ods: 'RR8', site: 'RR801', name: 'Leeds General Infirmary ED', departmentType: '01' },
    patient: { nhsNumber, familyName: 'Testchild', givenName: 'Alex', birthDate: '2015-03-01' },
    viewedBy: { name: 'Dr Test', role: 'Registrar' },
    ...overrides,
  });
}

/** Polls a mailbox until `count` messages wait (or the time runs out), then downloads and acknowledges them. */
export async function collect(mesh: MeshClient, count: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let ids: string[] = [];
  while (Date.now() < deadline) {
    ids = [];
    for await (const id of mesh.inboxIds()) ids.push(id);
    if (ids.length >= count) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const messages = [];
  for (const id of ids) {
    const message = await mesh.download(id);
    await mesh.acknowledge(id);
    messages.push({ ...message, text: message.body.toString('utf8') });
  }
  return messages;
}

/** Valid Modulus 11 NHS numbers (CPIS.md and generated). */
export const NHS = ['9689177621', '9446245796', '9434765919'];
