/**
 * The national `CP-ISAccessToServiceNotification` (REPC_MT000004GB01) for one LA, built from
 * the domain AccessNotification: one `pertinentCP-ISRecordAccess` per plan the LA holds for the
 * person, each naming the same query (the attendance) and the upload file that last set the plan.
 */
import type { AccessNotification, CareSetting, Clinician } from '../types.js';
import type { Tree } from '../xml/tree.js';
import { contentId, hl7Document, hl7Time, OID, organisationId, uuidFrom } from './hl7.js';
import { personIds, recipient, uploadFile } from './notification-parts.js';
import { AUTHOR_TEMPLATE } from './vocabulary.js';

export interface DmsAccessContext {
  /** The attendance's message id: the query id is derived from it, so a retry sends the same one. */
  attendanceMessageId: string;
  /** When the notification is made, ISO 8601 with a zone. */
  at: string;
  la: { ods: string; name: string };
  /** The care setting system's 12-digit ASID, when the attendance names no clinician. */
  careSettingAsid?: string;
}

/** An ASID is required for a system author; all zeros says none is configured. */
export const UNKNOWN_ASID = '000000000000';

/**
 * The job role is required as a code, and attendances carry it only as text: the code is
 * HL7's "unknown" and the text the role as given.
 */
function assignedAuthor(clinician: Clinician, setting: CareSetting): Tree {
  return {
    'npfitlc:contentId': contentId(AUTHOR_TEMPLATE.person.template),
    [AUTHOR_TEMPLATE.person.element]: {
      code: { '@code': 'UNK', '@codeSystem': OID.nullFlavor, '@displayName': clinician.role ?? 'Unknown' },
      id: clinician.id === undefined ? { '@nullFlavor': 'NI' } : { '@root': OID.sdsUserId, '@extension': clinician.id },
      assignedAuthorPerson: { name: clinician.name },
      representedOrganization: { id: organisationId(setting.ods), name: setting.name },
    },
  };
}

function system(setting: CareSetting, asid: string | undefined): Tree {
  return {
    'npfitlc:contentId': contentId(AUTHOR_TEMPLATE.system.template),
    [AUTHOR_TEMPLATE.system.element]: {
      id: { '@root': OID.asid, '@extension': asid ?? UNKNOWN_ASID },
      maintainingOrganization: { id: organisationId(setting.ods), name: setting.name },
    },
  };
}

/** The query id a notification about this attendance carries. */
export const queryId = (attendanceMessageId: string): string => uuidFrom(`query:${attendanceMessageId}`);

export function buildDmsAccessNotification(notification: AccessNotification, context: DmsAccessContext): string {
  const author = notification.viewedBy
    ? assignedAuthor(notification.viewedBy, notification.careSetting)
    : system(notification.careSetting, context.careSettingAsid);
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
            id: { '@root': queryId(context.attendanceMessageId) },
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
