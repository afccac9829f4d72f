import { maskMessage, maskNhsNumber, UNREADABLE } from '../../engine/console/masking.js';
import { prettyXml } from '../../engine/console/pretty-xml.js';
import { nhsNumbersIn } from '../../engine/operations/patient-fields.js';
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
