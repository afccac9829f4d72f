/**
 * The national acknowledgement `FileResponse` (REPC_MT000003GB01): the file's verdict, one
 * `acknowledgementRecordDetail` per record not loaded (its CPR code, the reason a person reads,
 * and the record's place in the file), and every record echoed as valid or invalid.
 */
import type { FileStatus, LocalAuthority } from '../types.js';
import type { Tree } from '../xml/tree.js';
import { hl7Document, hl7Time, organisationId, OID, telecoms } from './hl7.js';
import type { DmsRecordOutcome } from './records.js';
import { planInformation, subjectTemplate } from './templates.js';
import { FILE_STATUS_DISPLAY, RECORD_CODE_DISPLAY } from './vocabulary.js';

/** The file id a FileResponse carries for a file that could not be read. */
export const UNREADABLE_FILE_ID = '-1';

export interface FileResponseInput {
  /** The upload's `File/id/@extension`, or UNREADABLE_FILE_ID. */
  fileId: string;
  /** When the response was made, ISO 8601 with a zone. */
  created: string;
  status: FileStatus;
  /** The LA answered. */
  recipient: LocalAuthority;
  /** One per record of the file, in file order; empty when the file was refused whole. */
  outcomes: readonly DmsRecordOutcome[];
}

function recordDetail(outcome: DmsRecordOutcome): Tree {
  return {
    code: {
      '@code': outcome.code,
      '@codeSystem': OID.uploadRecordResponse,
      '@displayName': RECORD_CODE_DISPLAY[outcome.code],
      originalText: outcome.reason && (outcome.detail ? `${outcome.detail}: ${outcome.reason}` : outcome.reason),
    },
    location: outcome.location,
  };
}

function echo(outcome: DmsRecordOutcome): Tree {
  const subject = outcome.record.subjects.map(subjectTemplate);
  const returned = outcome.code === 'CPR06'
    ? { 'validCP-ISRecord': { subject } }
    : { 'invalidCP-ISRecord': { pertinentInformation: outcome.record.plans.map(planInformation), subject } };
  return { 'cP-ISLAAcknowledgementResponse': { pertinentInformation1: returned } };
}

export function buildFileResponse(input: FileResponseInput): string {
  const failed = input.outcomes.filter((o) => o.code !== 'CPR06');
  const readable = input.fileId !== UNREADABLE_FILE_ID;
  return hl7Document('FileResponse', {
    creationTime: { '@value': hl7Time(input.created) },
    id: { '@extension': input.fileId },
    transmissionQuantity: { '@value': String(readable ? input.outcomes.length : -1) },
    acknowledgementFile: {
      acknowledgementFileDetail: {
        // The national schema allows no text here: a file-level reason is for the hub's own records.
        code: { '@code': input.status, '@displayName': FILE_STATUS_DISPLAY[input.status] },
      },
    },
    acknowledgementRecord: failed.length > 0 ? { acknowledgementRecordDetail: failed.map(recordDetail) } : undefined,
    communicationFunctionRcv: {
      organisation: {
        id: organisationId(input.recipient.ods),
        name: input.recipient.name,
        telecom: telecoms(input.recipient.officePhone, input.recipient.emergencyPhone),
      },
    },
    'failedReturnedCP-ISRecords': { value: { '@value': String(failed.length) } },
    message: input.outcomes.map(echo),
    'successfulReturnedCP-ISRecords': { value: { '@value': String(input.outcomes.length - failed.length) } },
  });
}
