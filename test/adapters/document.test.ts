import { readFileSync } from 'node:fs';
import { checkDocument } from '../../adapters/core/document.js';
import { attendanceXml, LA706, NHS, planFile, planRecord } from '../support/cpis.js';

const example = (kind: 'valid' | 'invalid', name: string) => readFileSync(new URL(`../../schemas/examples/dms/upload/${kind}/${name}.xml`, import.meta.url));

/** The LA adapter's local check of a plan update file, in either format, before it leaves. */
describe('checking a plan update file locally', () => {
  test('a native file is checked against plan-update.xsd', () => {
    expect(checkDocument('planUpdate', Buffer.from(planFile(LA706, 1, [planRecord(NHS[0])])))).toBeUndefined();
    const bad = planFile(LA706, 1, [planRecord(NHS[0])]).replace('<sequence>1</sequence>', '<sequence>one</sequence>');
    expect(checkDocument('planUpdate', Buffer.from(bad))).toMatchObject({ code: 'SCHEMA_INVALID', message: 'does not match plan-update.xsd' });
  });

  test.each(['one-child-cpp', 'prefixed-and-attributes', 'pregnant-looked-after-girl'])('a national File (%s) passes against dms/upload.xsd', (name) => {
    expect(checkDocument('planUpdate', example('valid', name))).toBeUndefined();
  });

  test('a national File the national schema refuses is refused with its reasons', () => {
    expect(checkDocument('planUpdate', example('invalid', 'two-given-names'))).toMatchObject({
      code: 'SCHEMA_INVALID', message: 'does not match dms/upload.xsd', details: [expect.stringMatching(/^line \d+: .*given/)],
    });
  });

  test.each([
    ['a national acknowledgement', example('valid', 'one-child-cpp').toString().replace('<File ', '<FileResponse ').replace('</File>', '</FileResponse>'), '{urn:hl7-org:v3}FileResponse'],
    ['an attendance', attendanceXml(NHS[0], 'A1'), '{urn:cpis-exchange:v1}attendance'],
    ['a File in no namespace', example('valid', 'one-child-cpp').toString().replace(' xmlns="urn:hl7-org:v3"', ''), '{}File'],
  ])('%s is refused, naming what a plan update may be', (_what, xml, found) => {
    expect(checkDocument('planUpdate', Buffer.from(xml))).toMatchObject({
      code: 'WRONG_DOCUMENT',
      message: `expected the root element {urn:cpis-exchange:v1}planUpdate or {urn:hl7-org:v3}File, found ${found}`,
    });
  });

  test('a national File is no attendance', () => {
    expect(checkDocument('attendance', example('valid', 'one-child-cpp'))).toMatchObject({ code: 'WRONG_DOCUMENT', message: expect.stringContaining('{urn:cpis-exchange:v1}attendance') });
  });
});
