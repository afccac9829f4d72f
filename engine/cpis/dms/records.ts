/**
 * One national record onto the register's PlanRecords, and the register's answers back onto
 * one verdict per record (../shared/reference/cpis-dms/README.md §4.1, §4.2, §7). No register
 * rule lives here: only what the DMS shape decides (which subject a plan is about, a malformed
 * NHS number, a record that cannot be read as one person's plans).
 *
 * - A record carries no action: it is the LA's current state of the person's plans. A plan with
 *   a delete date is a `delete`; any other plan is an `upsert` carrying its end date when it has
 *   one, so an end date ends the plan (or records an already ended one on a first upload) and a
 *   future end date is the plan's planned end (the register's rule decides what that means).
 * - Plans of a record are decided one by one, in file order. The record is answered CPR06 only
 *   if every plan loaded; otherwise it is returned invalid with each failing plan's reason. The
 *   plans that did load stay loaded: §7 has the LA correct and re-upload the whole record, and
 *   loading the same plan again changes nothing, so the register converges on the LA's state
 *   without needing all-or-nothing records.
 * - The register key (`localId`) is the LA's local id for the person when sent, else the NHS
 *   number: both are stable across uploads, unlike the record's position.
 */
import type { FileStatus, PlanRecord, RecordCode, RecordResult, Subject } from '../types.js';
import { birthDay, planDay } from './hl7.js';
import { recordLocation, type DmsPlan, type DmsRecord, type DmsSubject, type DmsUpload } from './upload.js';
import { PLAN_TYPE } from './vocabulary.js';

/** Why the codec itself refuses a record, before the register sees it. */
export type DmsRecordProblem = 'NHS_NUMBER_FORMAT' | 'NO_NHS_NUMBER' | 'DUPLICATE_SUBJECT' | 'DUPLICATE_PLAN';

export interface RecordRefusal {
  code: 'CPR04' | 'CPR07';
  detail: DmsRecordProblem;
  reason: string;
}

/** A PlanRecord with the position of the DMS record it came from (decideBatch's NumberedRecord). */
export interface PositionedPlan {
  position: number;
  record: PlanRecord;
}

export interface MappedUpload {
  /** Every plan of every record not refused, in file order: what the register decides. */
  plans: PositionedPlan[];
  /** Records refused by the codec, by position. */
  refused: ReadonlyMap<number, RecordRefusal>;
}

/** One verdict per DMS record, for the FileResponse. */
export interface DmsRecordOutcome {
  record: DmsRecord;
  /** `/File/record[n]`. */
  location: string;
  code: Extract<RecordCode, 'CPR04' | 'CPR06' | 'CPR07'>;
  /** Our detail code: a register RejectCode or a DmsRecordProblem. */
  detail?: string;
  reason?: string;
}

/** A file-level refusal: nothing in the file is applied. */
export interface FileRefusal {
  code: 'WRONG_SENDER' | 'WRONG_COUNT';
  status: FileStatus;
  reason: string;
}

const NHS_NUMBER_SHAPE = /^\d{10}$/;
const ROLE = { child: 'child', unborn: 'mother' } as const;

/** Whether the file may be applied at all: the sender is the mailbox's LA, and the count is right. */
export function checkFile(upload: DmsUpload, mailboxOds: string): FileRefusal | undefined {
  if (upload.sender.ods !== mailboxOds) {
    return { code: 'WRONG_SENDER', status: 'CPF04', reason: `the file names organisation ${upload.sender.ods} as its sender, but was sent from the mailbox of ${mailboxOds}` };
  }
  if (upload.transmissionQuantity !== upload.records.length) {
    return { code: 'WRONG_COUNT', status: 'CPF01', reason: `transmissionQuantity is ${upload.transmissionQuantity} but the file holds ${upload.records.length} records` };
  }
  return undefined;
}

export function refusal(record: DmsRecord): RecordRefusal | undefined {
  const kinds = record.subjects.map((s) => s.kind);
  if (new Set(kinds).size < kinds.length) {
    return { code: 'CPR07', detail: 'DUPLICATE_SUBJECT', reason: 'the record has two subjects of the same kind, so which one each plan is about cannot be told' };
  }
  const types = record.plans.map((p) => p.type);
  if (new Set(types).size < types.length) {
    return { code: 'CPR07', detail: 'DUPLICATE_PLAN', reason: 'the record has the same plan type twice' };
  }
  if (record.subjects.some((s) => s.nhsNumber === undefined)) {
    return { code: 'CPR07', detail: 'NO_NHS_NUMBER', reason: 'a subject has no NHS number; CP-IS records are held against NHS numbers' };
  }
  if (record.subjects.some((s) => !NHS_NUMBER_SHAPE.test(s.nhsNumber as string))) {
    return { code: 'CPR04', detail: 'NHS_NUMBER_FORMAT', reason: 'the NHS number is not 10 digits' };
  }
  return undefined;
}

/** A plan is about the subject of its kind; with only the other kind present, about that one, for the register to refuse. */
function subjectFor(plan: DmsPlan, subjects: readonly DmsSubject[]): DmsSubject {
  const kind = plan.type === 'UCP' ? 'unborn' : 'child';
  return subjects.find((s) => s.kind === kind) ?? subjects[0];
}

function toSubject(subject: DmsSubject): Subject {
  return {
    nhsNumber: subject.nhsNumber as string,
    familyName: subject.familyName,
    givenName: subject.givenName,
    birthDate: birthDay(subject.birthTime),
    role: ROLE[subject.kind],
  };
}

export function toPlanRecord(plan: DmsPlan, subject: DmsSubject): PlanRecord {
  return {
    localId: subject.localId ?? (subject.nhsNumber as string),
    action: plan.deleteDate === undefined ? 'upsert' : 'delete',
    subject: toSubject(subject),
    plan: {
      type: PLAN_TYPE[plan.type],
      start: planDay(plan.start),
      ...(plan.end === undefined ? {} : { end: planDay(plan.end) }),
      ...(plan.deleteDate === undefined ? {} : { deleteDate: planDay(plan.deleteDate) }),
    },
  };
}

export function mapUpload(upload: DmsUpload): MappedUpload {
  const plans: PositionedPlan[] = [];
  const refused = new Map<number, RecordRefusal>();
  for (const record of upload.records) {
    const problem = refusal(record);
    if (problem) {
      refused.set(record.position, problem);
      continue;
    }
    for (const plan of record.plans) {
      plans.push({ position: record.position, record: toPlanRecord(plan, subjectFor(plan, record.subjects)) });
    }
  }
  return { plans, refused };
}

/** The local id to show the LA for a register record: none when the key is the NHS number itself. */
export const laLocalId = (localId: string, nhsNumber: string): string | undefined =>
  localId === nhsNumber ? undefined : localId;

/**
 * Folds the register's results (one per `mapped.plans` entry, in that order) into one outcome
 * per record. A malformed NHS number is CPR04 whether the codec or the register's Modulus 11
 * check found it; every other broken rule is CPR07.
 */
export function answerRecords(upload: DmsUpload, mapped: MappedUpload, results: readonly RecordResult[]): DmsRecordOutcome[] {
  const byPosition = new Map<number, { plan: PlanRecord; result: RecordResult }[]>();
  mapped.plans.forEach(({ position, record }, index) => {
    const list = byPosition.get(position) ?? [];
    list.push({ plan: record, result: results[index] });
    byPosition.set(position, list);
  });
  return upload.records.map((record) => {
    const location = recordLocation(record.position);
    const refused = mapped.refused.get(record.position);
    if (refused) return { record, location, code: refused.code, detail: refused.detail, reason: refused.reason };
    const failed = (byPosition.get(record.position) ?? []).filter((p) => p.result.code !== 'CPR06');
    if (failed.length === 0) return { record, location, code: 'CPR06' };
    const badNumber = failed.some((p) => p.result.detail === 'INVALID_NHS_NUMBER');
    return {
      record,
      location,
      code: badNumber ? 'CPR04' : 'CPR07',
      detail: failed[0].result.detail,
      reason: failed.map((p) => `${p.plan.plan.type}: ${p.result.reason ?? p.result.detail ?? 'refused'}`).join('; '),
    };
  });
}

/** CPF02 when every record loaded, CPF04 when none did, else CPF03. */
export function fileStatus(outcomes: readonly DmsRecordOutcome[]): FileStatus {
  const loaded = outcomes.filter((o) => o.code === 'CPR06').length;
  if (loaded === outcomes.length) return 'CPF02';
  return loaded === 0 ? 'CPF04' : 'CPF03';
}
