import { readFileSync } from 'node:fs';
import { maskMessage, maskNhsNumber, UNREADABLE } from '../../engine/console/masking.js';
import { prettyXml } from '../../engine/console/pretty-xml.js';
import { nhsNumbersIn } from '../../engine/operations/patient-fields.js';
import { accessNotification, answer, inactiveNotification } from '../cpis/dms/samples.js';
import { attendanceXml, NHS } from '../support/cpis.js';

const maskXml = (xml: string) => maskMessage(xml).xml;
const NS = 'xmlns="urn:cpis-exchange:v1"';

describe('masking (pure)', () => {
  test('masks NHS numbers, names and birth dates in the elements of a valid message', () => {
    const masked = maskXml(attendanceXml(NHS[0], 'A1'));
    expect(masked).toContain('<nhsNumber>*******621</nhsNumber>');
    expect(masked).toContain('<familyName>***</familyName>');
    expect(masked).toContain('<givenName>***</givenName>');
    expect(masked).toContain('<birthDate>***</birthDate>');
    expect(masked).toContain('<attendanceId>A1</attendanceId>'); // what is not patient data stays
  });

  test.each([
    ['CDATA', '<familyName><![CDATA[Smith]]></familyName>'],
    ['character references', '<familyName>&#x53;mith</familyName>'],
    ['a comment splitting the value', '<familyName>Sm<!-- x -->ith</familyName>'],
    ['white space and a prefix', '<c:familyName xmlns:c="urn:x">\n  Smith\n</c:familyName >'],
    ['a nested element', '<familyName><b>Smith</b></familyName>'],
    ['an attribute of the element', '<familyName value="Smith"/>'],
    ['an attribute named for the field', '<patient c:familyName="Smith" xmlns:c="urn:x"/>'],
    ['an attribute value holding >', '<patient note="a>b" familyName="Smith"/>'],
  ])('a name given by %s is hidden', (_how, element) => {
    const masked = maskXml(`<?xml version="1.0"?><attendance ${NS}>${element}<attendanceId>A1</attendanceId></attendance>`);
    expect(masked).not.toMatch(/Smith|&#x53;|mith/);
    expect(masked).toContain('***');
    expect(masked).toContain('<attendanceId>A1</attendanceId>');
  });

  test('an NHS number in CDATA or references keeps only its last three digits', () => {
    const masked = maskXml(`<a><nhsNumber><![CDATA[${NHS[0]}]]></nhsNumber><nhsNumber>&#57;689177621</nhsNumber></a>`);
    expect(masked).toBe('<a><nhsNumber>*******621</nhsNumber><nhsNumber>*******621</nhsNumber></a>');
  });

  test('a patient value repeated elsewhere in the document is hidden there too, even spelt with references', () => {
    const masked = maskXml('<a><familyName>Smith</familyName><note>for Smith</note><!-- Smith --><x y="&#x53;mith"/><![CDATA[Smith]]></a>');
    expect(masked).toBe('<a><familyName>***</familyName><note>for ***</note><!-- *** --><x y="***"/><![CDATA[***]]></a>');
  });

  test('the rest of the document stays character for character, layout included', () => {
    const xml = `<?xml version="1.0"?>\n<a ${NS}>\n  <!-- keep -->\n  <givenName>Alex</givenName>\n  <id b='1'>A&amp;B</id>\n</a>\n`;
    expect(maskXml(xml)).toBe(xml.replace('Alex', '***'));
  });

  test.each([
    ['broken XML', `<x:patient><x:nhsNumber a="1"> ${NHS[1]} </x:nhsNumber><familyName>Smith</familyName><note>call<`],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY n "Smith">]><a><familyName>&n;</familyName></a>'],
    ['misnested tags', '<a><familyName>Smith</a></familyName>'],
  ])('a document that cannot be read (%s) is not shown at all', (_what, xml) => {
    expect(maskXml(xml)).toBe(UNREADABLE);
  });

  test('an empty text (content past retention) stays empty', () => {
    expect(maskXml('')).toBe('');
  });

  test('masks the same values, and bare NHS numbers, where an error message quotes them', () => {
    const masked = maskMessage(attendanceXml(NHS[0], 'A1'));
    expect(masked.text("Element 'familyName': 'Testchild' is too long; nhs 9689177621")).toBe("Element 'familyName': '***' is too long; nhs *******621");
    expect(maskMessage('<a><givenName><![CDATA[Ann-Marie]]></givenName></a>').text('bad name Ann-Marie')).toBe('bad name ***');
  });

  test('message ids and timestamps are not taken for NHS numbers', () => {
    const mask = maskMessage('').text;
    expect(mask('20261120221400123_ABC123 2026-11-20T22:14:00Z')).toBe('20261120221400123_ABC123 2026-11-20T22:14:00Z');
    expect(mask('call 944 624 5796')).toBe('call *******796');
    expect(maskNhsNumber('12')).toBe('***');
  });

  test('finds NHS numbers in nhsNumber elements only, however written, without repeats', () => {
    const xml = `<a><nhsNumber>${NHS[0]}</nhsNumber><p:nhsNumber xmlns:p="urn:x">${NHS[0]}</p:nhsNumber><nhsNumber>968 917 7621</nhsNumber><nhsNumber><![CDATA[${NHS[1]}]]></nhsNumber><id>${NHS[2]}</id></a>`;
    expect(nhsNumbersIn(xml)).toEqual([NHS[0], NHS[1]]);
    expect(nhsNumbersIn('<not xml')).toEqual([]);
  });
});

describe('pretty-printing (pure)', () => {
  test('indents one-line XML by nesting, keeping element text on its line', () => {
    expect(prettyXml('<?xml version="1.0"?><a><b>1</b><c><d/></c></a>')).toBe('<?xml version="1.0"?>\n<a>\n  <b>1</b>\n  <c>\n    <d/>\n  </c>\n</a>');
  });

  test('leaves text it cannot split cleanly exactly as it was', () => {
    expect(prettyXml('<not-xml')).toBe('<not-xml');
    expect(prettyXml('a < b')).toBe('a < b');
  });
});

describe('masking national documents (HL7 v3, pure)', () => {
  const example = (kind: 'valid' | 'invalid', name: string) => readFileSync(new URL(`../../schemas/examples/dms/upload/${kind}/${name}.xml`, import.meta.url), 'utf8');
  const hl7 = (body: string) => `<File xmlns="urn:hl7-org:v3">${body}</File>`;
  const absent = (masked: string, secrets: string[]) => { for (const secret of secrets) expect(masked).not.toContain(secret); };

  test('an upload hides the NHS numbers, names, birth times and local ids of a child and of a mother, and keeps the rest', () => {
    const masked = maskXml(example('valid', 'pregnant-looked-after-girl'));
    absent(masked, ['9689177737', 'Ava', 'Lister', '20080511', 'BR-C-0107']);
    expect(masked).toContain('<id root="2.16.840.1.113883.2.1.4.1" extension="*******737"/>');
    expect(masked).toContain('<childPerson><birthTime value="***"/><name><given>***</given><family>***</family></name></childPerson>');
    expect(masked).toContain('<id root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="***" assigningAuthorityName="709:BRADFORD METROPOLITAN DISTRICT COUNCIL"/>');
    expect(masked).toContain('<parentMotherPerson>\n            <birthTime value="***"/><name><given>***</given><family>***</family></name>');
    for (const kept of ['<name>Bradford Metropolitan District Council</name>', '<id extension="1042"/>', 'value="202302010900"', 'value="tel:01274431010"']) expect(masked).toContain(kept);
  });

  test('any prefix, padding and attributes of a name part are read', () => {
    const masked = maskXml(example('valid', 'prefixed-and-attributes'));
    absent(masked, ['9689177621', 'Mia', 'Harrow', '20160814']);
    expect(masked).toContain('<hl7:name><hl7:given partType="***">***</hl7:given><hl7:family>***</hl7:family></hl7:name>');
  });

  test('an identifier under a child with a root we do not know is hidden whole', () => {
    const masked = maskXml(example('invalid', 'person-id-unknown-root'));
    expect(masked).toContain('<id root="2.16.840.1.113883.2.1.4.2" extension="***"/>');
    absent(masked, ['9689177621', 'Mia', 'Harrow']);
  });

  test('an access notification hides the NHS number and local id asked about, and shows the clinician who asked', () => {
    const masked = maskXml(accessNotification(true));
    absent(masked, ['9689177605', 'BR-C-0042']);
    expect(masked).toContain('<value root="2.16.840.1.113883.2.1.4.1" extension="*******605"/>');
    expect(masked).toContain('<value root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="***"/>');
    expect(masked).toContain('<name>Dr Priya Natarajan</name>');
    expect(masked).toContain('<name>Northbridge General Hospital Emergency Department</name>');
    expect(masked).toContain('<value extension="1042"/>');
  });

  test('an inactive NHS number notification hides the old number, the local id and the replacement', () => {
    const masked = maskXml(inactiveNotification());
    absent(masked, ['9689177605', '9689177737', 'BR-C-0042']);
    expect(masked).toContain('<newVersion>\n          <id extension="*******737"/>');
  });

  test('a FileResponse hides every record it echoes', () => {
    const masked = maskXml(answer('five-children-one-bad'));
    absent(masked, ['9689177621', '9689177605', '968917773"', '9689178385', '9689178512', 'Mia', 'Harrow', 'Leo', 'Marsh', 'Ella', 'Stone', 'Finn', 'Rowe', '20110411']);
    expect(masked).toContain('<location>/File/record[3]</location>');
  });

  test.each([
    ['a name written as text, split by CDATA', '<subject><name>Ava <![CDATA[Lister]]></name></subject>', '<name>***<![CDATA[***]]></name>'],
    ['a name part that is not given or family', '<subject><name><prefix>Miss</prefix><family>Lister</family></name></subject>', '<name><prefix>***</prefix><family>***</family></name>'],
    ['a rootless NHS number in a query', '<person.NHSnumber><value extension="9689177737"/></person.NHSnumber>', '<value extension="*******737"/>'],
    ['an NHS number identifier in any element', '<x:anything xmlns:x="urn:hl7-org:v3" extension="9689177737" root="2.16.840.1.113883.2.1.4.1"/>', 'extension="*******737" root='],
    ['a birth time written as text', '<birthTime>20080511</birthTime>', '<birthTime>***</birthTime>'],
  ])('%s is hidden', (_what, body, expected) => {
    const masked = maskXml(hl7(body));
    expect(masked).toContain(expected);
    absent(masked, ['Ava', 'Lister', 'Miss', '9689177737', '20080511']);
  });

  test('national rules read elements in no namespace too, and not the names of native documents', () => {
    expect(maskXml('<File><subject><name><given>Ava</given></name></subject></File>')).toBe('<File><subject><name><given>***</given></name></subject></File>');
    const native = `<planUpdate ${NS}><la><name>Bradford</name></la></planUpdate>`;
    expect(maskXml(native)).toBe(native);
  });

  test('finds the NHS numbers of national documents: identifiers by their root, replacements and query values', () => {
    expect(nhsNumbersIn(example('valid', 'pregnant-looked-after-girl'))).toEqual(['9689177737']);
    expect(nhsNumbersIn(inactiveNotification())).toEqual(['9689177605', '9689177737']);
    expect(nhsNumbersIn(accessNotification(false))).toEqual(['9689177605']);
    expect(nhsNumbersIn(hl7('<person.NHSnumber><value extension=" 9689177737 "/></person.NHSnumber><id root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="9689177605"/>'))).toEqual(['9689177737']);
  });
});
