import { masker, maskNhsNumber, maskXml } from '../../engine/console/masking.js';
import { prettyXml } from '../../engine/console/pretty-xml.js';
import { nhsNumbersIn } from '../../engine/operations/patient-fields.js';
import { attendanceXml, NHS } from '../support/cpis.js';

describe('masking (pure)', () => {
  test('masks NHS numbers, names and birth dates in the elements of a valid message', () => {
    const masked = maskXml(attendanceXml(NHS[0], 'A1'));
    expect(masked).toContain('<nhsNumber>*******621</nhsNumber>');
    expect(masked).toContain('<familyName>***</familyName>');
    expect(masked).toContain('<givenName>***</givenName>');
    expect(masked).toContain('<birthDate>***</birthDate>');
    expect(masked).toContain('<attendanceId>A1</attendanceId>'); // what is not patient data stays
  });

  test('copes with broken XML, namespace prefixes and attributes, and bare NHS numbers anywhere', () => {
    const broken = `<x:patient><x:nhsNumber a="1"> ${NHS[1]} </x:nhsNumber><familyName>Smith</familyName><note>call 944 624 5796<`;
    const masked = maskXml(broken);
    expect(masked).not.toMatch(/9446245796|944 624 5796|Smith/);
    expect(masked).toContain('<note>call *******796<');
  });

  test('masks the same values where an error message quotes them', () => {
    const mask = masker(attendanceXml(NHS[0], 'A1'));
    expect(mask("Element 'familyName': 'Testchild' is too long; nhs 9689177621")).toBe("Element 'familyName': '***' is too long; nhs *******621");
  });

  test('message ids and timestamps are not taken for NHS numbers', () => {
    expect(maskXml('20261120221400123_ABC123 2026-11-20T22:14:00Z')).toBe('20261120221400123_ABC123 2026-11-20T22:14:00Z');
    expect(maskNhsNumber('12')).toBe('***');
  });

  test('finds NHS numbers in nhsNumber elements only, without repeats', () => {
    expect(nhsNumbersIn(`<a><nhsNumber>${NHS[0]}</nhsNumber><p:nhsNumber>${NHS[0]}</p:nhsNumber><nhsNumber>968 917 7621</nhsNumber><id>${NHS[2]}</id>`)).toEqual([NHS[0]]);
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
