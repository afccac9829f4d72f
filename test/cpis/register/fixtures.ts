import { nhsNumbers as sampleNhsNumbers } from '../../../scripts/sample-exchange.js';
import type { Plan, PlanAction, PlanRecord, PlanType, PlanUpdateFile, RegisterRecord, Subject } from '../../../engine/cpis/types.js';

/** Valid NHS numbers (CPIS.md examples). */
export const CHILD = '9689177621';
export const MOTHER = '9446245796';
export const OTHER_CHILD = '9434765919';
export const TODAY = '2025-06-15';

const child: Subject = { nhsNumber: CHILD, role: 'child', familyName: 'Smith', givenName: 'Amy', birthDate: '2015-03-01' };
const mother: Subject = { nhsNumber: MOTHER, role: 'mother', familyName: 'Jones', givenName: 'Beth', birthDate: '1998-07-20' };

/** A plan record: a CPP for CHILD from 2025-01-10 unless told otherwise; a UCPP defaults to MOTHER; a delete is dated TODAY. */
export function plan(
  action: PlanAction,
  options: { localId?: string; type?: PlanType; subject?: Partial<Subject>; plan?: Partial<Plan> } = {},
): PlanRecord {
  const type = options.type ?? 'CPP';
  return {
    localId: options.localId ?? 'L1',
    action,
    subject: { ...(type === 'UCPP' ? mother : child), ...options.subject },
    plan: { type, start: '2025-01-10', ...(action === 'delete' ? { deleteDate: TODAY } : {}), ...options.plan },
  };
}

export function file(sequence: number, records: PlanRecord[], la = '706'): PlanUpdateFile {
  return {
    sequence,
    created: '2025-06-15T09:00:00Z',
    la: { ods: la, name: `LA ${la}`, emergencyPhone: '0300 000 0000' },
    recordCount: records.length,
    records,
  };
}

/** The register record an accepted upsert of `plan(...)` gives. */
export function held(laOds: string, options: Partial<RegisterRecord> = {}): RegisterRecord {
  return {
    nhsNumber: CHILD, laOds, type: 'CPP', localId: 'L1', role: 'child',
    familyName: 'Smith', givenName: 'Amy', birthDate: '2015-03-01', start: '2025-01-10',
    ...options,
  };
}

/** Numbers from a fixed base, so the register tests read the same children every run. */
export const nhsNumbers = (count: number, from = 400_000_000): string[] => sampleNhsNumbers(count, from);
