/** Answers to a national query and the documents the hub writes for them: for the query tests and the national schema check. */
import { readFileSync } from 'node:fs';
import { buildDmsQuery, parseDmsQuery, type DmsQuery } from '../../../engine/cpis/dms/query.js';
import { buildDmsNoRecords, buildDmsQueryResponse, type DmsAnswerContext } from '../../../engine/cpis/dms/query-response.js';
import { buildDmsQueryRefusal } from '../../../engine/cpis/dms/query-refusal.js';
import type { Access, FlagAnswer, LocalAuthority, QueriedPlan, Subject } from '../../../engine/cpis/types.js';
import { BRADFORD } from './samples.js';

export const LEEDS: LocalAuthority = { ods: '710', name: 'Leeds City Council', emergencyPhone: '0113 240 9536' };
export const HUB_ASID = '990000000001';

export const example = (kind: 'valid' | 'invalid' | 'refused', name: string): Buffer =>
  readFileSync(new URL(`../../../schemas/examples/dms/query/${kind}/${name}.xml`, import.meta.url));

export function query(name: string): DmsQuery {
  const parsed = parseDmsQuery(example('valid', name));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/** A looked-after girl of 16 who is pregnant: the child of her LAC and the mother of a UCPP. */
const GIRL: Omit<Subject, 'role'> = { nhsNumber: '9689177621', familyName: 'Harrow', givenName: 'Mia', birthDate: '2008-08-14' };

export const PLANS: QueriedPlan[] = [
  { type: 'LAC', start: '2023-01-10', la: BRADFORD, subject: { ...GIRL, role: 'child' }, localId: 'BR-C-0042' },
  { type: 'CPP', start: '2022-03-01', end: '2023-09-30', la: LEEDS, subject: { ...GIRL, role: 'child' }, localId: GIRL.nhsNumber },
  { type: 'UCPP', start: '2024-04-02', end: '2024-11-20', la: BRADFORD, subject: { ...GIRL, role: 'mother' }, localId: 'BR-C-0042' },
];

/**
 * Bradford's plans for the girl when it had planned for her before, under another local id: an
 * ended LAC, UCPP and CPP beside the open LAC and the UCPP. Five plans from one LA, more than one
 * CP-ISRecord may carry.
 */
export const SEVERAL_PLANS_OF_A_TYPE: QueriedPlan[] = [
  PLANS[0],
  PLANS[2],
  ...[PLANS[0], PLANS[2], PLANS[1]].map((plan) => ({ ...plan, la: BRADFORD, start: '2020-01-06', end: '2021-02-01', localId: 'BR-C-0007' })),
];

export const ACCESSES: Access[] = [
  {
    attendanceId: '5e0a9c2b-1d4f-4b8e-a6c3-2f1e0d9c8b7a',
    at: '2024-05-01T22:14:00+01:00',
    careSettingOds: 'RR8',
    careSettingName: 'Northbridge General Hospital Emergency Department',
    by: 'Dr Priya Natarajan',
    role: 'Specialty Registrar',
    roleCode: 'R0260',
    userId: '687227875014',
    roleProfileId: '555254242106',
  },
  {
    attendanceId: 'C2D9F7A1-3B6E-4D58-8A0F-1E2B3C4D5E6F',
    at: '2024-04-20T08:00:00Z',
    careSettingOds: 'RXR',
    careSettingName: 'East Lancashire Urgent Treatment Centre',
    by: 'Sam Okafor',
    role: 'Clinical Practitioner Access Role',
    roleCode: 'R8000',
    system: '200000005678',
  },
  {
    attendanceId: 'RR8-ED-20240415-0007',
    at: '2024-04-15T13:05:00Z',
    careSettingOds: 'RR8',
    careSettingName: 'Northbridge General Hospital Emergency Department',
  },
  {
    attendanceId: 'RR8-ED-20240410-0003',
    at: '2024-04-10T02:40:00+01:00',
    careSettingOds: 'RR8',
    careSettingName: 'Northbridge General Hospital Emergency Department',
    by: 'Nurse Jo Bell',
    role: 'Emergency nurse practitioner',
  },
];

export const ANSWER: FlagAnswer = { nhsNumber: GIRL.nhsNumber, plans: PLANS, accesses: ACCESSES };

export const context = (asked: DmsQuery = query('person')): DmsAnswerContext => ({
  query: asked,
  messageId: 'A1B2C3D4-E5F6-4789-8ABC-DEF012345678',
  at: '2024-05-01T22:14:01+01:00',
  hubAsid: HUB_ASID,
});

export const response = (answer: FlagAnswer = ANSWER): string => buildDmsQueryResponse(answer, context());

/**
 * File name to document: every branch of every reply to a query, and the queries the builder
 * writes (not a silent read: the national schema predates Patch D's accessEventType).
 */
export function querySamples(): Record<string, string> {
  const refused = parseDmsQuery(example('refused', 'nhs-number-check-digit'));
  if (refused.ok) throw new Error('the refused example was accepted');
  return {
    'query-response.xml': response(),
    'query-response-ucpp-without-end.xml': response({ ...ANSWER, plans: [{ ...PLANS[2], end: undefined }], accesses: ACCESSES.slice(0, 1) }),
    'query-response-several-plans-of-a-type.xml': response({ ...ANSWER, plans: SEVERAL_PLANS_OF_A_TYPE }),
    'query-no-records.xml': buildDmsNoRecords(context()),
    'query-refusal-read.xml': buildDmsQueryRefusal(refused.error, context()),
    'query-refusal-unreadable.xml': buildDmsQueryRefusal({ code: 'NOT_WELL_FORMED', message: 'not well-formed XML', details: ['line 3, column 7: boom'] }, context()),
    'query-person.xml': buildDmsQuery(query('person')),
    'query-system-nominated-person.xml': buildDmsQuery(query('system-nominated-person')),
    'query-system-without-person.xml': buildDmsQuery(query('system-without-person')),
    'query-refusal-transient.xml': buildDmsQueryRefusal({ code: 'UNAVAILABLE', message: 'the register cannot be reached', transient: true }, context()),
  };
}
