/**
 * The national `CP-ISInactiveNHSNumberNotification` (REPC_MT000005GB01): one `pDSInactivePatient`
 * per record the LA holds for the old number, with the LA's local id, the replacement and the
 * upload file that set the record.
 */
import type { InactiveNhsNumberNotice } from '../types.js';
import { hl7Document, hl7Time, uuidFrom } from './hl7.js';
import { personIds, recipient, uploadFile } from './notification-parts.js';

/** Same notice, same id: a retry or a second trigger for the same numbers sends the same notification. */
export const inactiveNotificationId = (notice: InactiveNhsNumberNotice): string =>
  uuidFrom(`inactive:${notice.nhsNumber}:${notice.replacement}:${notice.la.ods}`);

export function buildDmsInactiveNhsNumber(notice: InactiveNhsNumberNotice): string {
  return hl7Document('CP-ISInactiveNHSNumberNotification', {
    effectiveTime: { '@value': hl7Time(notice.at) },
    id: { '@root': inactiveNotificationId(notice) },
    primaryInformationRecipient: recipient(notice.la),
    subject: notice.records.map((record) => ({
      pDSInactivePatient: {
        id: personIds(notice.nhsNumber, record.localId),
        replacedBy: { newVersion: { id: { '@extension': notice.replacement } } },
        subjectOf: { lAUploadFile: uploadFile(record.uploadFile) },
      },
    })),
  });
}
