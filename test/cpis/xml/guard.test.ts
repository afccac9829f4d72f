/** What is refused before any parsing into values: size, DOCTYPE, not well-formed, wrong document. */
import { readFileSync } from 'node:fs';
import { parseAttendance } from '../../../engine/cpis/xml/attendance.js';
import { parsePlanUpdate } from '../../../engine/cpis/xml/plan-update.js';

const attendance = readFileSync(
  new URL('../../../schemas/examples/attendance/valid/emergency-department.xml', import.meta.url),
  'utf8',
);

const failure = (code: string, message: RegExp) => ({
  ok: false,
  error: { code, message: expect.stringMatching(message) },
});

describe('size cap', () => {
  test('over the 1 MiB default for an attendance', () => {
    const padded = attendance.replace('<attendanceId>', `<!--${' '.repeat(1024 * 1024)}--><attendanceId>`);
    expect(parseAttendance(padded)).toMatchObject(failure('TOO_LARGE', /over the limit of 1048576 bytes/));
  });

  test('the cap is configurable per call', () => {
    expect(parseAttendance(attendance, { maxBytes: 100 })).toMatchObject(failure('TOO_LARGE', /limit of 100 bytes/));
    expect(parseAttendance(attendance, { maxBytes: 10_000 }).ok).toBe(true);
  });

  test('counts bytes, not characters', () => {
    const name = 'Zoë';
    const xml = attendance.replace('>Mia<', `>${name}<`);
    const bytes = Buffer.byteLength(xml);
    expect(xml.length).toBeLessThan(bytes);
    expect(parseAttendance(xml, { maxBytes: xml.length })).toMatchObject({ error: { code: 'TOO_LARGE' } });
    expect(parseAttendance(xml, { maxBytes: bytes })).toMatchObject({ ok: true, value: { patient: { givenName: name } } });
  });
});

describe('DOCTYPE and entities', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<attendance xmlns="urn:cpis-exchange:v1"><attendanceId>&lol3;</attendanceId></attendance>`;
  const externalEntity = `<?xml version="1.0"?>
<!DOCTYPE attendance [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<attendance xmlns="urn:cpis-exchange:v1"><attendanceId>&secret;</attendanceId></attendance>`;

  test.each([
    ['billion laughs', billionLaughs, 2],
    ['external entity', externalEntity, 2],
    ['plain DOCTYPE', attendance.replace('<attendance', '<!DOCTYPE attendance>\n<attendance'), 3],
    ['ENTITY without DOCTYPE', attendance.replace('<attendanceId>', '<!ENTITY x "y"><attendanceId>'), 4],
  ])('%s is refused with its line', (_name, xml, line) => {
    expect(parseAttendance(xml)).toMatchObject(failure('DOCTYPE', new RegExp(`^line ${line}: `)));
  });

  test('a UTF-16 document cannot hide a DOCTYPE from the byte scan: input is read as UTF-8', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(externalEntity.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'), 'utf16le'),
    ]);
    expect(parseAttendance(utf16)).toMatchObject({ error: { code: 'NOT_WELL_FORMED' } });
  });
});

describe('not well-formed', () => {
  test.each([
    ['a mismatched end tag', attendance.replace('</givenName>', '</given>'), /line 15, column \d+: Opening and ending tag mismatch/],
    ['an unescaped ampersand', attendance.replace('Mia', 'Mia & Ann'), /line 15, column \d+: /],
    ['an entity XML does not define', attendance.replace('Mia', 'Mia&nbsp;'), /line 15, column \d+: Entity 'nbsp' not defined/],
    ['two root elements', `${attendance}<attendance/>`, /line \d+, column \d+: Extra content at the end of the document/],
    ['an empty document', '', /line 1, column 1: Document is empty/],
    ['white space only', '  \n ', /Start tag expected/],
    ['Latin-1 bytes', Buffer.from(attendance.replace('Mia', 'Zo\u00eb').replace('UTF-8', 'ISO-8859-1'), 'latin1'), /line 15, column \d+: /],
  ])('%s', (_name, xml, reason) => {
    expect(parseAttendance(xml)).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_WELL_FORMED',
        message: 'not well-formed XML',
        details: expect.arrayContaining([expect.stringMatching(reason)]),
      },
    });
  });
});

describe('wrong document', () => {
  test.each([
    ['another message', attendance, parsePlanUpdate, /expected the root element \{urn:cpis-exchange:v1\}planUpdate, found \{urn:cpis-exchange:v1\}attendance/],
    ['another version', attendance.replace('urn:cpis-exchange:v1', 'urn:cpis-exchange:v2'), parseAttendance, /found \{urn:cpis-exchange:v2\}attendance/],
    ['no namespace', attendance.replace(' xmlns="urn:cpis-exchange:v1"', ''), parseAttendance, /found \{\}attendance/],
  ])('%s', (_name, xml, parse, reason) => {
    expect(parse(xml)).toMatchObject(failure('WRONG_DOCUMENT', reason));
  });
});

describe('accepted input forms', () => {
  test('a Buffer, with or without a byte order mark', () => {
    const bytes = Buffer.from(attendance, 'utf8');
    expect(parseAttendance(bytes).ok).toBe(true);
    expect(parseAttendance(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])).ok).toBe(true);
  });
});
