/** Which document a body is, from its root alone. */
import { readFileSync } from 'node:fs';
import { recognise } from '../../engine/cpis/recognise.js';
import { samples } from './dms/samples.js';

const example = (path: string) => readFileSync(new URL(`../../schemas/examples/${path}`, import.meta.url));

describe('recognise', () => {
  test.each([
    ['attendance/valid/emergency-department.xml', 'attendance'],
    ['inactive-nhs-number/valid/mother.xml', 'inactiveNhsNumber'],
    ['access-notification/valid/viewed-in-ed.xml', 'accessNotification'],
  ])('native %s is %s', (path, message) => {
    expect(recognise(example(path))).toEqual({ format: 'native', message });
  });

  test.each([
    ['dms/upload/valid/one-child-cpp.xml'],
    ['dms/upload/valid/prefixed-and-attributes.xml'],
  ])('the national upload %s is a DMS File, whatever its prefix', (path) => {
    expect(recognise(example(path))).toEqual({ format: 'dms', message: 'File' });
  });

  test.each([
    ['file-response-partial.xml', 'FileResponse'],
    ['access-notification-system.xml', 'CP-ISAccessToServiceNotification'],
    ['inactive-nhs-number.xml', 'CP-ISInactiveNHSNumberNotification'],
  ])('the emitted %s is %s', (name, message) => {
    expect(recognise(samples()[name])).toEqual({ format: 'dms', message });
  });

  test('a BOM, declaration and comments before the root are skipped', () => {
    expect(recognise('\uFEFF<?xml version="1.0"?>\n<!-- a <File> in a comment -->\n<planUpdateAck xmlns=\'urn:cpis-exchange:v1\'><x/></planUpdateAck>'))
      .toEqual({ format: 'native', message: 'planUpdateAck' });
  });

  test.each([
    ['a native root in the HL7 namespace', '<attendance xmlns="urn:hl7-org:v3"/>'],
    ['a DMS root in our namespace', '<File xmlns="urn:cpis-exchange:v1"/>'],
    ['no namespace', '<File/>'],
    ['an unknown root', '<QUPC_IN000006GB01 xmlns="urn:hl7-org:v3"/>'],
    ['not XML', 'MSH|^~\\&|PAS'],
  ])('%s is not recognised', (_what, body) => {
    expect(recognise(body)).toBeUndefined();
  });
});
