/** One of each national document the hub emits, from the example uploads: for the tests and scripts/dms-emit-samples.ts. */
import { readFileSync } from 'node:fs';
import { buildDmsAccessNotification } from '../../../engine/cpis/dms/access-notification.js';
import { buildFileResponse, UNREADABLE_FILE_ID } from '../../../engine/cpis/dms/file-response.js';
import { buildDmsInactiveNhsNumber } from '../../../engine/cpis/dms/inactive-nhs-number.js';
import { answerRecords, checkFile, fileStatus, mapUpload } from '../../../engine/cpis/dms/records.js';
import { parseDmsUpload, type DmsUpload } from '../../../engine/cpis/dms/upload.js';
import { decideBatch } from '../../../engine/cpis/register/rules.js';
import type { AccessNotification, LocalAuthority } from '../../../engine/cpis/types.js';

export const BRADFORD: LocalAuthority = {
  ods: '709',
  name: 'Bradford Metropolitan District Council',
  officePhone: '01274 435600',
  emergencyPhone: '01274 431010',
};
export const TODAY = '2024-05-01';
export const NOW = '2024-05-01T09:31:00Z';

export function upload(name: string): DmsUpload {
  const parsed = parseDmsUpload(readFileSync(new URL(`../../../schemas/examples/dms/upload/valid/${name}.xml`, import.meta.url)));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/** The upload decided against an empty register, answered as the hub would. */
export function answer(name: string): string {
  const file = upload(name);
  const refused = checkFile(file, BRADFORD.ods);
  if (refused) {
    return buildFileResponse({ fileId: file.fileId, created: NOW, status: refused.status, recipient: BRADFORD, outcomes: [] });
  }
  const mapped = mapUpload(file);
  const { results } = decideBatch(new Map(), BRADFORD.ods, mapped.plans, TODAY);
  const outcomes = answerRecords(file, mapped, results);
  return buildFileResponse({ fileId: file.fileId, created: NOW, status: fileStatus(outcomes), recipient: BRADFORD, outcomes });
}

export const unreadable = (): string =>
  buildFileResponse({ fileId: UNREADABLE_FILE_ID, created: NOW, status: 'CPF01', recipient: BRADFORD, outcomes: [] });

export const attendanceNotification = (viewed: boolean): AccessNotification => ({
  attendanceId: 'RR8-ED-20240501-0042',
  subject: { nhsNumber: '9689177605', familyName: 'Marsh', givenName: 'Leo', birthDate: '2014-03-02' },
  plans: [
    { type: 'LAC', start: '2023-01-10', localId: 'BR-C-0042', uploadFile: '1042' },
    { type: 'CPP', start: '2024-04-29', localId: '9689177605' },
  ],
  arrival: '2024-05-01T22:14:00+01:00',
  careSetting: { ods: 'RR8', site: 'RR801', name: 'Northbridge General Hospital Emergency Department', departmentType: '01' },
  viewedBy: viewed ? { name: 'Dr Priya Natarajan', role: 'Emergency medicine registrar', id: 'C4412087' } : undefined,
});

export const accessNotification = (viewed: boolean): string =>
  buildDmsAccessNotification(attendanceNotification(viewed), {
    attendanceMessageId: '20240501221400123_ABC123',
    at: '2024-05-01T22:14:05Z',
    la: BRADFORD,
    careSettingAsid: viewed ? undefined : '200000001234',
  });

export const inactiveNotification = (): string =>
  buildDmsInactiveNhsNumber({
    nhsNumber: '9689177605',
    replacement: '9689177737',
    at: '2024-06-03T10:15:00Z',
    la: BRADFORD,
    records: [{ type: 'LAC', localId: 'BR-C-0042', uploadFile: '1042' }, { type: 'CPP', localId: '9689177605' }],
  });

/** File name to document: every branch of every emitted message. */
export function samples(): Record<string, string> {
  return {
    'file-response-success.xml': answer('two-plans-with-local-id'),
    'file-response-partial.xml': answer('five-children-one-bad'),
    'file-response-unsuccessful.xml': answer('end-before-start'),
    'file-response-unborn-and-local-ids.xml': answer('pregnant-looked-after-girl'),
    'file-response-local-id-only.xml': answer('local-id-only'),
    'file-response-wrong-count.xml': answer('wrong-count'),
    'file-response-wrong-sender.xml': answer('wrong-sender'),
    'file-response-unreadable.xml': unreadable(),
    'access-notification-clinician.xml': accessNotification(true),
    'access-notification-system.xml': accessNotification(false),
    'inactive-nhs-number.xml': inactiveNotification(),
  };
}
