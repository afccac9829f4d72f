/**
 * The national `CP-ISAccessToServiceNotification` (REPC_MT000004GB01) for one LA, built from
 * the domain AccessNotification: one `pertinentCP-ISRecordAccess` per plan the LA holds for the
 * person, each naming the same query (the attendance) and the upload file that last set the plan.
 */
import type { AccessNotification } from '../types.js';
import { authorTemplate } from './authors.js';
import { asUuid, hl7Document, hl7Time, uuidFrom } from './hl7.js';
import { personIds, recipient, uploadFile } from './notification-parts.js';

export interface DmsAccessContext {
  /** The attendance's message id: the query id is derived from it, so a retry sends the same one. */
  attendanceMessageId: string;
  /** When the notification is made, ISO 8601 with a zone. */
  at: string;
  la: { ods: string; name: string };
  /** The care setting system's 12-digit ASID, when the attendance names no clinician. */
  careSettingAsid?: string;
}

/**
 * The query id a notification carries when the access has no UUID of its own (an attendance's
 * id); a query's own id (HL7 v3 or FHIR request id) is used as it is, so the LA can match the
 * notification to the access history the asker was shown.
 */
export const queryId = (attendanceMessageId: string): string => uuidFrom(`query:${attendanceMessageId}`);

export function buildDmsAccessNotification(notification: AccessNotification, context: DmsAccessContext): string {
  const clinician = notification.viewedBy;
  const author = authorTemplate(
    clinician ? { by: clinician.name, role: clinician.role, userId: clinician.id } : { system: context.careSettingAsid },
    notification.careSetting,
  );
  const nhsNumber = notification.subject.nhsNumber;
  return hl7Document('CP-ISAccessToServiceNotification', {
    effectiveTime: { '@value': hl7Time(context.at) },
    id: { '@root': uuidFrom(`access:${context.attendanceMessageId}:${context.la.ods}`) },
    pertinentInformation: { pertinentTotalReturnedRecords: { value: { '@value': String(notification.plans.length) } } },
    pertinentInformation1: notification.plans.map((plan) => ({
      'pertinentCP-ISRecordAccess': {
        pertinentInformation2: {
          'pertinentCP-ISNHSQuery': {
            effectiveTime: { '@value': hl7Time(notification.arrival) },
            id: { '@root': asUuid(notification.attendanceId) ?? queryId(context.attendanceMessageId) },
            author,
            queryByParameter: { 'person.id': { value: personIds(nhsNumber, plan.localId) } },
          },
        },
        reference: { referredToLAUploadFile: uploadFile(plan.uploadFile) },
      },
    })),
    primaryInformationRecipient: recipient(context.la),
  });
}
