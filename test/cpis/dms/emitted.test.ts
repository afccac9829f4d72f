/** The national documents the hub emits: FileResponse, access and inactive NHS number notifications, and the replies to a query. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDmsAccessNotification, queryId } from '../../../engine/cpis/dms/access-notification.js';
import { accessQueryId } from '../../../engine/cpis/dms/query-response.js';
import { uuidFrom } from '../../../engine/cpis/dms/hl7.js';
import { querySamples } from './query-samples.js';
import { accessNotification, answer, attendanceNotification, BRADFORD, inactiveNotification, samples, unreadable } from './samples.js';

const count = (xml: string, text: string) => xml.split(text).length - 1;

describe('FileResponse', () => {
  test('a partial upload: CPF03 with its display text, the file id echoed, counts, one CPR04 detail at /File/record[3]', () => {
    const xml = answer('five-children-one-bad');
    expect(xml).toContain('<id extension="1042"/>');
    expect(xml).toContain('<transmissionQuantity value="5"/>');
    expect(xml).toContain('<code code="CPF03" displayName="Partial File Upload"/>');
    expect(count(xml, '<acknowledgementRecordDetail>')).toBe(1);
    expect(xml).toMatch(/<code code="CPR04" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.473" displayName="PDS Error - NHS Number Format Incorrect">\s*<originalText>NHS_NUMBER_FORMAT: the NHS number is not 10 digits<\/originalText>/);
    expect(xml).toContain('<location>/File/record[3]</location>');
    expect(xml).toMatch(/<failedReturnedCP-ISRecords>\s*<value value="1"\/>/);
    expect(xml).toMatch(/<successfulReturnedCP-ISRecords>\s*<value value="4"\/>/);
    expect(count(xml, '<validCP-ISRecord>')).toBe(4);
    expect(count(xml, '<invalidCP-ISRecord>')).toBe(1);
  });

  test('an invalid record is echoed with its plans and subjects; a valid one with its subjects only', () => {
    const xml = answer('end-before-start');
    expect(xml).toContain('<code code="CPF04" displayName="Unsuccessful File Upload"/>');
    expect(xml).toMatch(/<invalidCP-ISRecord>\s*<pertinentInformation>\s*<npfitlc:contentId root="2.16.840.1.113883.2.1.3.2.4.18.16" extension="COCT_TP146101GB01#CPPInformation"\/>/);
    expect(xml).toContain('<cPPEndDate>');
    expect(xml).toContain('displayName="Unsucessful Record Upload"');
    expect(answer('two-plans-with-local-id')).not.toContain('<pertinentInformation>');
  });

  test('every record loaded: CPF02, no acknowledgementRecord; the local id echoed with its authority', () => {
    const xml = answer('two-plans-with-local-id');
    expect(xml).toContain('<code code="CPF02" displayName="Successful File Upload"/>');
    expect(xml).not.toContain('acknowledgementRecord>');
    expect(xml).toContain('extension="BR-C-0042" assigningAuthorityName="709:BRADFORD METROPOLITAN DISTRICT COUNCIL"');
  });

  test('an unborn child is echoed as UnbornChild with the mother', () => {
    expect(answer('pregnant-looked-after-girl')).toMatch(/<COCT_TP145100GB01.UnbornChild>\s*<parentMotherPerson>/);
  });

  test('an unreadable file: id -1, transmissionQuantity -1, CPF01 File Level Error', () => {
    const xml = unreadable();
    expect(xml).toContain('<id extension="-1"/>');
    expect(xml).toContain('<transmissionQuantity value="-1"/>');
    expect(xml).toContain('<code code="CPF01" displayName="File Level Error"/>');
  });

  test('a wrong count: the file id echoed, CPF01, nothing processed', () => {
    const xml = answer('wrong-count');
    expect(xml).toContain('<id extension="1042"/>');
    expect(xml).toContain('<code code="CPF01" displayName="File Level Error"/>');
    expect(xml).toContain('<transmissionQuantity value="0"/>');
  });

  test('the LA is the recipient, with tel: values without spaces', () => {
    expect(answer('wrong-sender')).toMatch(/<communicationFunctionRcv>\s*<organisation>\s*<id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="709"\/>[\s\S]*<telecom value="tel:01274435600" use="WP"\/>\s*<telecom value="tel:01274431010" use="EC"\/>/);
  });
});

describe('CP-ISAccessToServiceNotification', () => {
  test('a named clinician is the AssignedAuthor, with role text, SDS id and the care setting organisation', () => {
    const xml = accessNotification(true);
    expect(xml).toContain('extension="COCT_TP145102GB01#AssignedAuthor"');
    expect(xml).toContain('displayName="Emergency medicine registrar"');
    expect(xml).toContain('<id root="1.2.826.0.1285.0.2.0.65" extension="C4412087"/>');
    expect(xml).toContain('<name>Dr Priya Natarajan</name>');
    expect(xml).toMatch(/<representedOrganization>\s*<id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="RR8"\/>/);
  });

  test('no clinician: the care setting is the System, with its ASID', () => {
    const xml = accessNotification(false);
    expect(xml).toContain('extension="COCT_TP145104GB01#System"');
    expect(xml).toContain('<id root="1.2.826.0.1285.0.2.0.107" extension="200000001234"/>');
  });

  test('query time is the arrival; one record access per plan, the local id only where it is not the NHS number', () => {
    const xml = accessNotification(true);
    expect(count(xml, '<effectiveTime value="20240501221400+0100"/>')).toBe(2);
    expect(xml).toMatch(/<pertinentTotalReturnedRecords>\s*<value value="2"\/>/);
    expect(count(xml, 'root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="BR-C-0042"')).toBe(1);
    expect(count(xml, 'root="2.16.840.1.113883.2.1.3.2.4.18.24"')).toBe(1);
  });

  test('referredToLAUploadFile is the file that last set the record, UNKNOWN when not kept', () => {
    const xml = accessNotification(true);
    expect(xml).toMatch(/<referredToLAUploadFile>\s*<value extension="1042"\/>/);
    expect(xml).toMatch(/<referredToLAUploadFile>\s*<value extension="UNKNOWN"\/>/);
  });

  test('the query id is an upper-case UUID from the attendance message id: the same on a retry, different for another', () => {
    expect(queryId('m1')).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(queryId('m1')).toBe(queryId('m1'));
    expect(queryId('m1')).not.toBe(queryId('m2'));
    expect(accessNotification(true)).toBe(accessNotification(true));
    expect(accessNotification(true)).toContain(`<id root="${queryId('20240501221400123_ABC123')}"/>`);
  });

  test('a query\'s own UUID is the query id the LA is told, so it matches the access history the asker saw', () => {
    const ownId = '5e0a9c2b-1d4f-4b8e-a6c3-2f1e0d9c8b7a';
    const xml = buildDmsAccessNotification({ ...attendanceNotification(true), attendanceId: ownId }, {
      attendanceMessageId: '20240501221400123_ABC123', at: '2024-05-01T22:14:05Z', la: BRADFORD,
    });
    expect(xml).toContain(`<id root="${ownId.toUpperCase()}"/>`);
    expect(accessQueryId(ownId)).toBe(ownId.toUpperCase());
  });

  test('the recipient is the LA', () => {
    expect(accessNotification(true)).toMatch(/<COCT_TP145103GB01.IntendedRecipient>\s*<representedSourceOrganization>\s*<id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="709"\/>/);
  });
});

describe('CP-ISInactiveNHSNumberNotification', () => {
  test('one inactive patient per record: old number, local id, replacement and upload file', () => {
    const xml = inactiveNotification();
    expect(count(xml, '<pDSInactivePatient>')).toBe(2);
    expect(xml).toMatch(/<id root="2.16.840.1.113883.2.1.4.1" extension="9689177605"\/>\s*<id root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="BR-C-0042"\/>/);
    expect(count(xml, '<newVersion>')).toBe(2);
    expect(xml).toContain('<id extension="9689177737"/>');
    expect(xml).toMatch(/<lAUploadFile>\s*<value extension="1042"\/>/);
  });

  test('its id is stable for the same notice', () => {
    expect(inactiveNotification()).toBe(inactiveNotification());
    expect(uuidFrom('a')).not.toBe(uuidFrom('b'));
  });
});

// The national schemas and Java are not part of the project: this check runs where they are and says so loudly where not.
// `../shared` beside the checkout, or beside the folder of worktrees.
const TOOLS = ['../../../../shared/tools/', '../../../../../shared/tools/']
  .map((path) => new URL(path, import.meta.url).pathname)
  .find((path) => existsSync(join(path, 'DmsValidate.java'))) ?? 'missing';
const JAVA = (() => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const national = existsSync(join(TOOLS, 'DmsValidate.java')) && JAVA ? test : test.skip;
if (national === test.skip) console.warn('SKIPPED: national DMS schema check (needs ../shared/tools/DmsValidate.java and java)');

national('every emitted document validates against the national schemas (dms-validate)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'dms-'));
  const files = Object.entries({ ...samples(), ...querySamples() }).map(([name, xml]) => {
    writeFileSync(join(folder, name), xml);
    return join(folder, name);
  });
  // REPC_MT000005GB01 has maxOccurs="99999", over the JDK's default limit of 5000.
  const output = execFileSync('java', ['-Djdk.xml.maxOccurLimit=0', join(TOOLS, 'DmsValidate.java'), join(TOOLS, '../reference/cpis-dms/xsd'), ...files], { encoding: 'utf8' });
  expect(output.split('\n').filter((line) => line.startsWith('valid')).length).toBe(files.length);
}, 120_000);
