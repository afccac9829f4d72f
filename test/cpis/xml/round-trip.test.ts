/** build then parse gives back the value, for every message; what is built passes its own XSD. */
import type {
  AccessNotification,
  Attendance,
  FlagResponse,
  LocalAuthority,
  PlanRecord,
  PlanUpdateAck,
  PlanUpdateFile,
} from '../../../engine/cpis/types.js';
import { buildAccessNotification, parseAccessNotification } from '../../../engine/cpis/xml/access-notification.js';
import { buildAttendance, parseAttendance } from '../../../engine/cpis/xml/attendance.js';
import { buildFlagResponse, parseFlagResponse } from '../../../engine/cpis/xml/flag-response.js';
import { buildPlanUpdateAck, parsePlanUpdateAck } from '../../../engine/cpis/xml/plan-update-ack.js';
import { buildPlanUpdate, parsePlanUpdate } from '../../../engine/cpis/xml/plan-update.js';

const northbridge: LocalAuthority = {
  ods: '706',
  name: 'Northbridge Borough Council',
  officePhone: '01632 960100',
  emergencyPhone: '01632 960999',
};
const westmoor: LocalAuthority = { ods: '812', name: 'Westmoor County Council', emergencyPhone: '0808 157 0000' };
const mia = { nhsNumber: '9689177621', familyName: 'Harrow', givenName: 'Mia', birthDate: '2016-08-14' };
// Characters that XML must escape, and some it need not.
const awkward = { nhsNumber: '9446245796', familyName: `O'Brien & <Sons> "Ltd"`, givenName: 'Zoë 😀', birthDate: '2011-02-03' };
const careSetting = { ods: 'RR8', site: 'RR801', name: 'Northbridge General Hospital', departmentType: '01' as const };

const record = (n: number): PlanRecord => ({
  localId: `CP-${n}`,
  action: 'upsert',
  subject: { ...mia, role: 'child' },
  plan: { type: 'CPP', start: '2024-04-29' },
});

const planUpdates: PlanUpdateFile[] = [
  {
    sequence: 1043,
    created: '2024-05-02T17:05:12.250+01:00',
    la: northbridge,
    recordCount: 3,
    records: [
      record(1),
      { localId: 'UCPP-58', action: 'end', subject: { ...mia, nhsNumber: '9434765919', role: 'mother' }, plan: { type: 'UCPP', start: '2024-01-15', end: '2024-05-02' } },
      { localId: 'CP-729', action: 'delete', subject: { ...awkward, role: 'child' }, plan: { type: 'LAC', start: '2024-04-28', deleteDate: '2024-05-02' } },
    ],
  },
  { sequence: 0, created: '2024-05-03T06:00:00Z', la: westmoor, recordCount: 0, records: [] },
  { sequence: 7, created: '2024-05-03T06:00:00Z', la: westmoor, recordCount: 1, records: [record(1)] },
  { sequence: 8, created: '2024-05-03T06:00:00Z', la: westmoor, recordCount: 2500, records: Array.from({ length: 2500 }, (_, i) => record(i)) },
];

const acks: PlanUpdateAck[] = [
  {
    sequence: 1044,
    status: 'CPF03',
    recordsProcessed: 2,
    results: [
      { position: 1, localId: 'CP-733', code: 'CPR06' },
      { position: 2, localId: 'CP-734', code: 'CPR07', detail: 'INVALID_NHS_NUMBER', reason: 'The NHS number fails the Modulus 11 check.' },
    ],
  },
  { sequence: -1, status: 'CPF01', recordsProcessed: 0, reason: 'not well-formed XML: line 3 <&>', results: [] },
  { sequence: 5, status: 'CPF02', recordsProcessed: 1, results: [{ position: 1, localId: 'CP-1', code: 'CPR06' }] },
];

const attendances: Attendance[] = [
  {
    attendanceId: 'RR8-ED-0042',
    arrival: '2024-05-01T22:14:00+01:00',
    careSetting,
    patient: mia,
    viewedBy: { name: 'Dr Priya Natarajan', role: 'Registrar', id: 'C4412087' },
  },
  {
    attendanceId: '006',
    arrival: '2024-01-09T08:02:31Z',
    careSetting: { ods: 'NLX', name: 'Eastgate Walk-in Centre', departmentType: '04' },
    patient: awkward,
  },
];

const flagResponses: FlagResponse[] = [
  { attendanceId: 'A-1', nhsNumber: '9434765919', plans: [] },
  { attendanceId: 'A-2', nhsNumber: '9689177621', plans: [{ type: 'CPP', start: '2024-04-29', la: northbridge }] },
  {
    attendanceId: 'A-3',
    nhsNumber: '9689177621',
    plans: [
      { type: 'CPP', start: '2024-04-29', la: northbridge },
      { type: 'LAC', start: '2022-10-03', end: '2024-03-31', la: westmoor },
    ],
  },
];

const notifications: AccessNotification[] = [
  {
    attendanceId: 'RR8-ED-0042',
    subject: mia,
    plans: [{ type: 'CPP', start: '2024-04-29', localId: 'CP-731' }, { type: 'LAC', start: '2024-03-01', localId: 'LAC-12' }],
    arrival: '2024-05-01T22:14:00+01:00',
    careSetting,
    viewedBy: { name: 'Dr Priya Natarajan' },
  },
  {
    attendanceId: 'RXQ-77120',
    subject: awkward,
    plans: [{ type: 'UCPP', start: '2024-01-15', end: '2024-05-02', localId: 'UCPP-58' }],
    arrival: '2024-03-02T14:40:00Z',
    careSetting: { ods: 'RXQ', name: 'Riverside Minor Injury Unit', departmentType: '03' },
  },
];

test.each(planUpdates)('plan update with $recordCount records', (value) => {
  expect(parsePlanUpdate(buildPlanUpdate(value))).toEqual({ ok: true, value });
});

test.each(acks)('plan update acknowledgement $status', (value) => {
  expect(parsePlanUpdateAck(buildPlanUpdateAck(value))).toEqual({ ok: true, value });
});

test.each(attendances)('attendance $attendanceId', (value) => {
  expect(parseAttendance(buildAttendance(value))).toEqual({ ok: true, value });
});

test.each(flagResponses)('flag response $attendanceId', (value) => {
  expect(parseFlagResponse(buildFlagResponse(value))).toEqual({ ok: true, value });
});

test.each(notifications)('access notification $attendanceId', (value) => {
  expect(parseAccessNotification(buildAccessNotification(value))).toEqual({ ok: true, value });
});

test('values stay strings: 006 stays 006 and department type 04 stays 04', () => {
  const parsed = parseAttendance(buildAttendance(attendances[1]));
  expect(parsed).toMatchObject({ ok: true, value: { attendanceId: '006', careSetting: { departmentType: '04' } } });
});

test('numbers are numbers', () => {
  expect(parsePlanUpdateAck(buildPlanUpdateAck(acks[1]))).toMatchObject({ value: { sequence: -1, recordsProcessed: 0 } });
});

test('what is built but breaks the schema is refused when read', () => {
  const xml = buildAttendance({ ...attendances[0], patient: { ...mia, nhsNumber: '123' } });
  expect(parseAttendance(xml)).toMatchObject({ ok: false, error: { code: 'SCHEMA_INVALID' } });
});
