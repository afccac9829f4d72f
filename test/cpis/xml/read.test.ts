/** The value read is the value the XSD validated, however the sender wrote it. */
import { readFileSync } from 'node:fs';
import type { PlanRecord } from '../../../engine/cpis/types.js';
import { parseAttendance } from '../../../engine/cpis/xml/attendance.js';
import { buildPlanUpdate, parsePlanUpdate } from '../../../engine/cpis/xml/plan-update.js';
import { oneLine } from '../../../engine/cpis/xml/result.js';

const attendance = readFileSync(
  new URL('../../../schemas/examples/attendance/valid/emergency-department.xml', import.meta.url),
  'utf8',
);

test.each([
  ['a CDATA section', '<![CDATA[O\'Brien & <Sons>]]>', "O'Brien & <Sons>"],
  ['character references', 'Zo&#235; O&#x27;Brien', "Zoë O'Brien"],
  ['a CDATA section between text', "O'<![CDATA[Brien]]> &amp; Co", "O'Brien & Co"],
  ['white space around and inside', '\n   Mary \t Ann  \n ', 'Mary Ann'],
  ['a comment inside', 'Mary <!-- middle --> Ann', 'Mary Ann'],
  ['a white space character reference', 'Mary&#10;Ann', 'Mary Ann'],
])('a name written with %s', (_name, written, value) => {
  const xml = attendance.replace('<familyName>Harrow</familyName>', `<familyName>${written}</familyName>`);
  expect(parseAttendance(xml)).toMatchObject({ ok: true, value: { patient: { familyName: value } } });
});

test('codes with white space around them read as the XSD validated them', () => {
  const xml = attendance.replace('<departmentType>01</departmentType>', '<departmentType> 01\n</departmentType>');
  expect(parseAttendance(xml)).toMatchObject({ ok: true, value: { careSetting: { departmentType: '01' } } });
});

describe('schema errors', () => {
  const record = (n: number): PlanRecord => ({
    localId: `CP-${n}`,
    action: 'upsert',
    subject: { role: 'child', nhsNumber: 'not-a-number', familyName: 'Harrow', givenName: 'Mia', birthDate: '2016-08-14' },
    plan: { type: 'CPP', start: '2024-04-29' },
  });
  const xml = buildPlanUpdate({
    sequence: 1,
    created: '2024-05-01T09:30:00Z',
    la: { ods: '706', name: 'Northbridge Borough Council', emergencyPhone: '01632 960999' },
    recordCount: 150,
    records: Array.from({ length: 150 }, (_, i) => record(i)),
  });

  test('each error has its line; the list stops after 100', () => {
    const result = parsePlanUpdate(xml);
    if (result.ok) throw new Error('expected a schema error');
    expect(result.error.code).toBe('SCHEMA_INVALID');
    expect(result.error.details).toHaveLength(101);
    expect(result.error.details[0]).toMatch(/^line 16: .*nhsNumber/);
    expect(result.error.details.slice(0, 100)).toEqual(
      Array.from({ length: 100 }, () => expect.stringMatching(/^line \d+: Element '\{urn:cpis-exchange:v1\}nhsNumber'/)),
    );
    expect(result.error.details[100]).toBe('... and 50 more');
  });

  test('each complaint is said once: the message names the schema, the details say what is wrong', () => {
    const result = parseAttendance(attendance.replace('<departmentType>01</departmentType>', '<departmentType>X1</departmentType>'));
    if (result.ok) throw new Error('expected a schema error');
    expect(result.error.message).toBe('does not match attendance.xsd');
    expect(result.error.details).toEqual([expect.stringMatching(/^line \d+: Element '\{urn:cpis-exchange:v1\}departmentType'/)]);
    const line = oneLine(result.error);
    expect(line).toBe(`does not match attendance.xsd: ${result.error.details[0]}`);
  });
});
