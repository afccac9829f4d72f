import { checkDigit } from '../engine/cpis/nhs-number.js';
import type { Attendance, PlanRecord, PlanUpdateFile } from '../engine/cpis/types.js';
import { buildAttendance } from '../engine/cpis/xml/attendance.js';
import { buildPlanUpdate } from '../engine/cpis/xml/plan-update.js';
import { buildDmsUpload, type DmsRecord } from '../engine/cpis/dms/upload.js';

/**
 * The parties of `config/sample.yaml` and documents between them, for the tests and the
 * benchmarks: one trust (RR8PAS), three LAs (LA706CSC, LA708CSC native; LA709CSC on the national
 * documents), the hub (X26HUB).
 */
export const SAMPLE_CONFIG = 'config/sample.yaml';
export const SHARED_KEY = 'TestKey';

export const PASSWORDS: Record<string, string> = {
  X26HUB: 'hub-password', RR8PAS: 'trust-password', LA706CSC: 'la706-password', LA708CSC: 'la708-password', LA709CSC: 'la709-password',
};

export const LA706 = { ods: '706', name: 'Leeds City Council', officePhone: '0113 222 4401', emergencyPhone: '0113 240 9536' };
export const LA708 = { ods: '708', name: 'Kirklees Council', officePhone: '01484 456848', emergencyPhone: '01484 414933' };
export const LA709 = { ods: '709', name: 'Bradford Metropolitan District Council', officePhone: '01274 435600', emergencyPhone: '01274 431010' };

/** `count` distinct valid NHS numbers, in order from `base` (a random one unless given), skipping impossible ones. */
export function nhsNumbers(count: number, base = 100_000_000 + Math.floor(Math.random() * 800_000_000)): string[] {
  const out: string[] = [];
  for (let n = base; out.length < count; n++) {
    const digits = String(n).padStart(9, '0');
    const check = checkDigit(digits);
    if (check !== undefined) out.push(`${digits}${check}`);
  }
  return out;
}

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

/** A national child record: a CPP from 2025-01-10 for `nhsNumber`, with the LA's own id for the child. */
export function nationalRecord(nhsNumber: string, overrides: Partial<Pick<DmsRecord, 'plans'>> & { localId?: string } = {}): Omit<DmsRecord, 'position'> {
  return {
    plans: overrides.plans ?? [{ type: 'CPP', start: '202501100900' }],
    subjects: [{ kind: 'child', nhsNumber, localId: overrides.localId ?? `BD-${nhsNumber}`, localIdAuthority: '709:BRADFORD MDC', birthTime: '20150301', givenName: 'Alex', familyName: 'Testchild' }],
  };
}

/** A national upload (`File`, DMS 1.0 RC5) from `la`, as an existing CP-IS system sends it. */
export function nationalPlanFile(la: typeof LA709, fileId: string, records: Omit<DmsRecord, 'position'>[]): string {
  return buildDmsUpload({
    fileId,
    created: '202611010900+0000',
    transmissionQuantity: records.length,
    sender: { ods: la.ods, name: la.name, officePhone: la.officePhone, emergencyPhone: la.emergencyPhone },
    records: records.map((r, i) => ({ ...r, position: i + 1 })),
  });
}
