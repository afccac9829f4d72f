import fc from 'fast-check';
import { Message } from 'node-hl7-client';
import { buildAck } from '../../adapters/hl7/ack.js';
import { readHl7 } from '../../adapters/hl7/hl7-message.js';
import { hl7DateTimeToIso, hl7DateToIso } from '../../adapters/hl7/hl7-timestamp.js';
import { prepareHl7, prepareHl7Message } from '../../adapters/hl7/prepare-hl7.js';
import { toAttendance, type TranslateOptions, type Translation } from '../../adapters/hl7/to-attendance.js';
import type { AdapterError } from '../../adapters/core/errors.js';
import { parseAttendance } from '../../engine/cpis/xml/attendance.js';
import { fixture, withField } from '../fixtures/hl7/messages.js';

function translate(text: string, options: TranslateOptions = {}): Translation {
  const read = readHl7(text);
  if (!read.ok) throw new Error(`unreadable: ${read.error.message}`);
  return toAttendance(read.message, read.header, options);
}

function attendanceOf(text: string, options: TranslateOptions = {}) {
  const result = translate(text, options);
  if (result.kind !== 'attendance') throw new Error(`expected an attendance, got ${JSON.stringify(result)}`);
  return result.attendance;
}

function rejectionOf(text: string, options: TranslateOptions = {}): AdapterError {
  const result = translate(text, options);
  if (result.kind !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result.error;
}

const A04 = fixture('a04-emergency.hl7');

describe('HL7 ADT to attendance', () => {
  test('an A04 with patient class E is an attendance, the NHS number taken from the NH repetition of three', () => {
    expect(attendanceOf(A04)).toEqual({
      attendanceId: 'V20240501-0042',
      arrival: '2024-05-01T22:14:00+01:00',
      careSetting: { ods: 'RR8', site: 'RR801', name: 'Leeds General Infirmary', departmentType: '01' },
      patient: { nhsNumber: '9689177621', familyName: 'Harrow', givenName: 'Mia', birthDate: '2016-08-14' },
    });
  });

  test('an A01 with patient class E is an attendance; the care setting is named from PV1-3 and typed from the options', () => {
    expect(attendanceOf(fixture('a01-emergency.hl7'), { departmentType: '03' })).toEqual({
      attendanceId: 'V20240109-0006',
      arrival: '2024-01-09T08:02:31+00:00',
      careSetting: { ods: 'RR8', site: 'RR801', name: 'Northbridge General Hospital Emergency Department', departmentType: '03' },
      patient: { nhsNumber: '9446245796', familyName: "O'Connell", givenName: 'Jayden', birthDate: '2011-02-03' },
    });
  });

  test.each([
    ['MR~NH~SS', 'RR80012345^^^RR8^MR~9689177621^^^NHS^NH~AB123456C^^^NINO^SS'],
    ['NH first', '9689177621^^^NHS^NH~RR80012345^^^RR8^MR'],
    ['NH last of four', 'A1^^^X^MR~B2^^^Y^PI~9446245796^^^RR8^PI~9689177621^^^NHS^NH'],
    ['spaced 3-3-4', 'RR80012345^^^RR8^MR~968 917 7621^^^NHS^NH'],
  ])('PID-3 %s: the NH identifier is the NHS number', (_, pid3) => {
    const text = A04.replace(/^PID\|1\|\|[^|]*/m, `PID|1||${pid3}`);
    expect(attendanceOf(text).patient.nhsNumber).toBe('9689177621');
  });

  test('names carry HL7 escape sequences decoded (\\T\\ is &, \\S\\ is ^)', () => {
    const { patient } = attendanceOf(fixture('a04-escaped-name.hl7'));
    expect(patient).toMatchObject({ familyName: 'Smith&Jones', givenName: 'Anne^Marie' });
  });

  test.each([
    ['A08 (update)', fixture('a08-update.hl7'), 'ADT^A08 is not an attendance event'],
    ['A01 with patient class I', fixture('a01-inpatient.hl7'), "ADT^A01 with patient class 'I' is not an emergency attendance"],
    ['A04 without PV1-2', withField(A04, 'PV1.2', ''), "ADT^A04 with patient class '' is not an emergency attendance"],
    ['an ORU', withField(A04, 'MSH.9.1', 'ORU'), 'ORU^A04 is not an attendance event'],
  ])('%s is skipped, not an error', (_, text, reason) => {
    expect(translate(text)).toEqual({ kind: 'skipped', reason });
  });

  test.each([
    ['no NH identifier', fixture('a04-no-nhs-number.hl7'), 'HL7_MISSING_FIELD', 'PID-3: no identifier of type NH'],
    ['an empty NH identifier', A04.replace('9689177621^^^NHS^NH', '^^^NHS^NH'), 'HL7_MISSING_FIELD', 'PID-3: the identifier of type NH is empty'],
    ['a bad check digit', A04.replace('9689177621', '9689177622'), 'HL7_UNREADABLE', 'PID-3: the NHS number fails the Modulus 11 check'],
    ['no admit date/time', withField(A04, 'PV1.44', ''), 'HL7_MISSING_FIELD', 'PV1-44: no admit date/time'],
    ['an admit time on 30 February', withField(A04, 'PV1.44', '20240230221400'), 'HL7_UNREADABLE', 'PV1-44: the admit date/time is not a valid date and time'],
    ['a date-only admit time', withField(A04, 'PV1.44', '20240501'), 'HL7_UNREADABLE', 'PV1-44: the admit date/time is not an HL7 date/time (YYYYMMDDHHMM[SS[.S]][+/-ZZZZ])'],
    ['no birth date', withField(A04, 'PID.7', ''), 'HL7_MISSING_FIELD', 'PID-7: no birth date'],
    ['a birth year only', withField(A04, 'PID.7', '2016'), 'HL7_UNREADABLE', 'PID-7: the birth date is not a full date (YYYYMMDD)'],
    ['no family name', A04.replace('Harrow^Mia^Rose', '^Mia^Rose'), 'HL7_MISSING_FIELD', 'PID-5.1: no family name'],
    ['no given name', A04.replace('Harrow^Mia^Rose', 'Harrow'), 'HL7_MISSING_FIELD', 'PID-5.2: no given name'],
    ['a family name over 100 characters', withField(A04, 'PID.5.1', 'H'.repeat(101)), 'HL7_UNREADABLE', 'PID-5.1: the family name is longer than 100 characters'],
    ['no sending facility', withField(A04, 'MSH.4', ''), 'HL7_MISSING_FIELD', "MSH-4: no sending facility (the trust's ODS code)"],
    ['a facility name in place of an ODS code', withField(A04, 'MSH.4', 'Leeds General'), 'HL7_UNREADABLE', 'MSH-4: the sending facility is not an ODS code (3 to 9 letters or digits)'],
    ['a site that is no ODS code', withField(A04, 'PV1.3.4', 'Main site'), 'HL7_UNREADABLE', 'PV1-3.4: the facility is not an ODS code (3 to 9 letters or digits)'],
  ])('%s is a permanent error naming the field', (_, text, code, message) => {
    const error = rejectionOf(text);
    expect(error).toMatchObject({ code, message, permanent: true });
    for (const patientValue of ['9689177621', '9689177622', 'Harrow', 'Mia', '20160814', '2016']) {
      expect(error.message).not.toContain(patientValue);
    }
  });

  test('the care setting name comes from MSH-4.2 unless it is an OID, else PV1-3.9, else the configured name, else it is missing', () => {
    expect(attendanceOf(A04).careSetting.name).toBe('Leeds General Infirmary');
    const oid = withField(A04, 'MSH.4.2', '2.16.840.1.113883.2.1.3.2');
    expect(attendanceOf(oid).careSetting.name).toBe('Emergency Department');
    const neither = withField(oid, 'PV1.3', 'ED^RESUS^1^RR801');
    expect(attendanceOf(neither, { careSettingName: 'LGI Emergency Department' }).careSetting.name).toBe('LGI Emergency Department');
    expect(rejectionOf(neither)).toMatchObject({ code: 'HL7_MISSING_FIELD', message: expect.stringContaining('no care setting name') });
  });



  test('without a site in PV1-3 the care setting has none; ODS codes are upper-cased', () => {
    const text = withField(withField(A04, 'PV1.3', 'ED^RESUS'), 'MSH.4.1', 'rr8');
    expect(attendanceOf(text).careSetting).toEqual({ ods: 'RR8', name: 'Leeds General Infirmary', departmentType: '01' });
  });

  test('without a visit number the attendance id is the control id, without white space and at most 64 characters', () => {
    const noVisit = withField(A04, 'PV1.19', '');
    expect(attendanceOf(noVisit).attendanceId).toBe('MSG00042');
    expect(attendanceOf(withField(noVisit, 'MSH.10', 'MSG 7 ')).attendanceId).toBe('MSG7');
    expect(attendanceOf(withField(A04, 'PV1.19', 'V'.repeat(80))).attendanceId).toBe('V'.repeat(64));
  });
});

describe('HL7 timestamps', () => {
  test.each([
    ['BST, no offset', '20240501221400', '2024-05-01T22:14:00+01:00'],
    ['GMT, no offset', '20240115091500', '2024-01-15T09:15:00+00:00'],
    ['BST, with its offset', '20240501221400+0100', '2024-05-01T22:14:00+01:00'],
    ['a UTC time in summer', '20240501211400+0000', '2024-05-01T21:14:00+00:00'],
    ['another zone', '20240115091500-0500', '2024-01-15T09:15:00-05:00'],
    ['minutes only', '202405012214', '2024-05-01T22:14:00+01:00'],
    ['a fraction', '20240115091500.25', '2024-01-15T09:15:00.25+00:00'],
    ['before the clocks go forward', '20240331003000', '2024-03-31T00:30:00+00:00'],
    ['the hour skipped in March, read as not yet put forward', '20240331013000', '2024-03-31T01:30:00+00:00'],
    ['after the clocks go forward', '20240331023000', '2024-03-31T02:30:00+01:00'],
    ['the hour repeated in October, read as its first pass', '20241027013000', '2024-10-27T01:30:00+01:00'],
    ['after the clocks go back', '20241027023000', '2024-10-27T02:30:00+00:00'],
  ])('%s: %s is %s', (_, ts, iso) => {
    expect(hl7DateTimeToIso(ts)).toEqual({ ok: true, value: iso });
  });

  test.each(['2024050122', '20240501', '20240230120000', '20240501246000', '20240501221400+2500', '2024-05-01T22:14', 'x'])('%s is not a date/time', (ts) => {
    expect(hl7DateTimeToIso(ts).ok).toBe(false);
  });

  test('dates: YYYYMMDD, or the date of a longer TS; nothing less, no impossible days', () => {
    expect(hl7DateToIso('20160814')).toEqual({ ok: true, value: '2016-08-14' });
    expect(hl7DateToIso('201608140000')).toEqual({ ok: true, value: '2016-08-14' });
    expect(hl7DateToIso('201602')).toMatchObject({ ok: false });
    expect(hl7DateToIso('20150229')).toMatchObject({ ok: false });
  });
});

describe('HL7 ACK', () => {
  const header = () => {
    const read = readHl7(A04);
    if (!read.ok) throw new Error('fixture unreadable');
    return read.header;
  };
  const parse = (ack: string) => new Message({ text: ack });

  test('AA answers the message by its control id, addressed back to its sender', () => {
    const text = buildAck({ code: 'AA', header: header() }, new Date('2024-05-01T21:15:03Z'));
    expect(text.split('\r').map((s) => s.slice(0, 3))).toEqual(['MSH', 'MSA']);
    const ack = parse(text);
    expect(['MSH.3', 'MSH.4', 'MSH.5', 'MSH.6', 'MSH.7', 'MSH.11', 'MSH.12'].map((p) => ack.get(p).toString()))
      .toEqual(['CPIS', 'X26HUB', 'PAS', 'RR8', '20240501211503+0000', 'P', '2.4']);
    expect(ack.get('MSH.9').toRaw()).toBe('ACK^A04^ACK');
    expect(ack.get('MSH.10').toString()).toMatch(/^[0-9a-f]{16}$/);
    expect(text.split('\r')[1]).toBe('MSA|AA|MSG00042');
  });

  test('AR carries the reason in MSA-3 and ERR, with HL7 separators in it escaped', () => {
    const error: AdapterError = { code: 'HL7_MISSING_FIELD', message: 'PID-3: no identifier | of ^ type & NH ~ \\', permanent: true };
    const text = buildAck({ code: 'AR', header: header(), error });
    expect(text).toContain('MSA|AR|MSG00042|PID-3: no identifier \\F\\ of \\S\\ type \\T\\ NH \\R\\ \\E\\\r');
    const ack = parse(text);
    expect(ack.get('MSA.3').toString()).toBe(error.message);
    expect(ack.get('ERR.3').toRaw()).toBe('101^Required field missing^HL70357');
    expect(ack.get('ERR.4').toString()).toBe('E');
    expect(ack.get('ERR.8').toString()).toBe(error.message);
  });

  test('AE for an error of the hub is an application error; a message that could not be read leaves MSA-2 empty', () => {
    const error: AdapterError = { code: 'HUB_UNAVAILABLE', message: 'the hub could not take the message now', permanent: false };
    const ack = parse(buildAck({ code: 'AE', error }));
    expect(ack.get('MSA.1').toString()).toBe('AE');
    expect(ack.get('MSA.2').toString()).toBe('');
    expect(ack.get('ERR.3.1').toString()).toBe('207');
    expect(ack.get('MSH.9').toRaw()).toBe('ACK^^ACK');
  });
});

describe('prepareHl7 (HL7 files in a folder)', () => {
  const prepare = prepareHl7({});

  test('an emergency A04 becomes attendance XML that passes the hub codec, with a local id from sender and control id', () => {
    const prepared = prepare(Buffer.from(A04), 'a04.hl7');
    if (!prepared.ok) throw new Error(prepared.error.message);
    if ('skip' in prepared) throw new Error(`skipped: ${prepared.skip}`);
    expect(prepared.localId).toBe('hl7-PAS-RR8-MSG00042');
    const parsed = parseAttendance(prepared.body);
    expect(parsed.ok && parsed.value).toEqual(attendanceOf(A04));
  });

  test('segments ended by CRLF and a name in ISO 8859-1 (MSH-18) are read', () => {
    const latin1 = withField(withField(A04, 'MSH.18', '8859/1'), 'PID.5.2', 'Zoë').replace(/\r/g, '\r\n');
    const outcome = prepareHl7Message(Buffer.from(latin1, 'latin1'), {});
    expect(outcome.kind === 'attendance' && outcome.body.toString('utf8')).toContain('<givenName>Zoë</givenName>');
  });

  test('the local id keeps only plain characters', () => {
    const text = withField(withField(A04, 'MSH.3', 'EPIC PAS'), 'MSH.10', 'A/1:2');
    const prepared = prepare(Buffer.from(text), 'x.hl7');
    expect(prepared.ok && 'localId' in prepared && prepared.localId).toBe('hl7-EPIC_PAS-RR8-A_1_2');
  });

  test('an A08 is skipped with the reason, not rejected: a PAS feed sends every ADT event', () => {
    const prepared = prepare(Buffer.from(fixture('a08-update.hl7')), 'x.hl7');
    expect(prepared).toEqual({ ok: true, skip: expect.stringContaining('A08') });
  });

  test.each([
    ['a missing NH identifier', 'HL7_MISSING_FIELD', fixture('a04-no-nhs-number.hl7')],
    ['no MSH', 'HL7_UNREADABLE', 'PID|1||9689177621^^^NHS^NH'],
    ['two messages in one file', 'HL7_UNREADABLE', `${A04}\n${A04}`],
    ['no control id', 'HL7_MISSING_FIELD', withField(A04, 'MSH.10', '')],
    ['an empty file', 'HL7_UNREADABLE', ''],
  ])('%s is set aside as %s', (_, code, text) => {
    const prepared = prepare(Buffer.from(text), 'x.hl7');
    expect(prepared).toMatchObject({ ok: false, error: { code, permanent: true } });
  });

  test('any text after an MSH header gives an outcome, never an exception', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (rest) => {
      const outcome = prepareHl7Message(`MSH|^~\\&|PAS|RR8|||20240501||ADT^A04|1|P|2.4\r${rest}`, {});
      expect(['attendance', 'skipped', 'rejected']).toContain(outcome.kind);
    }), { numRuns: 300 });
  });
});
