/**
 * The register's rules (CPIS.md "Rules"): pure functions over plain data, no I/O.
 * A record is identified by its NHS number, the LA that sent it, the plan type and the
 * LA's local id, so an LA can only ever address its own records, and an ended plan stays
 * visible for its window while the same LA starts a new plan of that type.
 */
import { checkNhsNumber } from '../nhs-number.js';
import type { PlanRecord, PlanType, RecordResult, RegisterRecord, SubjectRole } from '../types.js';
import { addMonths, ageOn, isDate } from './dates.js';

/** Our detail codes for CPR07. */
export type RejectCode =
  | 'INVALID_NHS_NUMBER'
  | 'INVALID_DATE'
  | 'WRONG_SUBJECT_ROLE'
  | 'BORN_AFTER_START'
  | 'START_IN_FUTURE'
  | 'END_IN_FUTURE'
  | 'END_BEFORE_START'
  | 'MISSING_END_DATE'
  | 'MISSING_DELETE_DATE'
  | 'OPEN_PLAN_EXISTS'
  | 'NOT_FOUND'
  | 'OWNED_BY_ANOTHER_LA';

export type Change = { op: 'put'; record: RegisterRecord } | { op: 'remove'; record: RegisterRecord };

export type Decision =
  | { ok: true; change: Change }
  | { ok: false; detail: RejectCode; reason: string };

export interface NumberedRecord {
  /** 1-based position in the file. */
  position: number;
  record: PlanRecord;
}

export interface BatchOutcome {
  /** One per record, in the order given. */
  results: RecordResult[];
  /** In the order made; applying them in order gives the batch's final state. */
  changes: Change[];
}

export const DEFAULT_ENDED_VISIBLE_MONTHS = 12;
const ADULT_AGE = 18;
const ROLE_OF: Record<PlanType, SubjectRole> = { CPP: 'child', LAC: 'child', UCPP: 'mother' };

/** Unique within one NHS number. ODS codes and plan types hold no ':', so the local id needs no escaping. */
export function recordId(r: Pick<RegisterRecord, 'laOds' | 'type' | 'localId'>): string {
  return `${r.laOds}:${r.type}:${r.localId}`;
}

/**
 * Whether a plan is still in force on `today`. The end date is the day the plan ended, so
 * on that day it has ended: the flag shows it ended and no LA is notified. The one rule
 * for both, so a trust and an LA never disagree about a plan.
 */
export function isOpen(record: Pick<RegisterRecord, 'end'>, today: string): boolean {
  return record.end === undefined || today < record.end;
}

/** What an attendance sees: open plans, and plans ended less than `endedVisibleMonths` ago. */
export function visible(records: readonly RegisterRecord[], today: string, endedVisibleMonths = DEFAULT_ENDED_VISIBLE_MONTHS): RegisterRecord[] {
  return records.filter((r) => r.end === undefined || today < addMonths(r.end, endedVisibleMonths));
}

/** Decides one record from LA `laOds` against the records held (those of other NHS numbers are ignored). */
export function decide(records: readonly RegisterRecord[], laOds: string, record: PlanRecord, today: string): Decision {
  const nhs = checkNhsNumber(record.subject.nhsNumber);
  if (!nhs.valid) return reject('INVALID_NHS_NUMBER', nhs.reason);
  const held = records.filter((r) => r.nhsNumber === record.subject.nhsNumber);
  const own = held.find((r) => recordId(r) === recordId({ laOds, type: record.plan.type, localId: record.localId }));
  switch (record.action) {
    case 'upsert': return upsert(held, laOds, record, today);
    case 'end': return own ? end(own, record, today) : missing(held, laOds, record.plan.type);
    case 'delete': return own ? remove(own, record) : missing(held, laOds, record.plan.type);
  }
}

/**
 * Decides a batch in file order. Each record sees the changes of the records before it,
 * so two records for the same person in one file behave as if sent in two files.
 */
export function decideBatch(
  held: ReadonlyMap<string, readonly RegisterRecord[]>,
  laOds: string,
  records: readonly NumberedRecord[],
  today: string,
): BatchOutcome {
  const current = new Map(held);
  const outcome: BatchOutcome = { results: [], changes: [] };
  for (const { position, record } of records) {
    const nhsNumber = record.subject.nhsNumber;
    const decision = decide(current.get(nhsNumber) ?? [], laOds, record, today);
    const base = { position, localId: record.localId };
    if (decision.ok) {
      current.set(nhsNumber, applyChange(current.get(nhsNumber) ?? [], decision.change));
      outcome.changes.push(decision.change);
      outcome.results.push({ ...base, code: 'CPR06' });
    } else {
      outcome.results.push({ ...base, code: 'CPR07', detail: decision.detail, reason: decision.reason });
    }
  }
  return outcome;
}

export function applyChange(records: readonly RegisterRecord[], change: Change): RegisterRecord[] {
  const id = recordId(change.record);
  const others = records.filter((r) => recordId(r) !== id);
  return change.op === 'put' ? [...others, change.record] : others;
}

function upsert(held: readonly RegisterRecord[], laOds: string, record: PlanRecord, today: string): Decision {
  const { subject, plan } = record;
  const dates = [subject.birthDate, plan.start, ...(plan.end === undefined ? [] : [plan.end])];
  if (!dates.every(isDate)) return reject('INVALID_DATE', 'a date is not a calendar date YYYY-MM-DD');
  if (subject.role !== ROLE_OF[plan.type]) {
    return reject('WRONG_SUBJECT_ROLE', `a ${plan.type} is held against the ${ROLE_OF[plan.type]}, not the ${subject.role}`);
  }
  if (subject.birthDate > plan.start) return reject('BORN_AFTER_START', 'the subject was born after the plan start; a plan before birth is a UCPP against the mother');
  // A mother has no age bound: a girl who is herself a child can be the subject of a UCPP.
  if (subject.role === 'child' && ageOn(subject.birthDate, plan.start) >= ADULT_AGE) {
    return reject('WRONG_SUBJECT_ROLE', `the subject was ${ADULT_AGE} or over at the plan start, so not a child`);
  }
  const invalidEnd = checkDates(plan.type, plan.start, plan.end, today);
  if (invalidEnd) return invalidEnd;
  const clash = isOpen(plan, today) && held.find((r) =>
    r.laOds === laOds && r.type === plan.type && isOpen(r, today) && r.localId !== record.localId);
  if (clash) return reject('OPEN_PLAN_EXISTS', `this LA already holds an open ${plan.type} for this person under another local id; end or delete it first`);
  const next: RegisterRecord = {
    nhsNumber: subject.nhsNumber,
    laOds,
    type: plan.type,
    localId: record.localId,
    role: subject.role,
    familyName: subject.familyName,
    givenName: subject.givenName,
    birthDate: subject.birthDate,
    start: plan.start,
    ...(plan.end === undefined ? {} : { end: plan.end }),
    ...uploadFileOf(record),
  };
  return { ok: true, change: { op: 'put', record: next } };
}

/** Ends the LA's own record; the start held is the one that counts, whatever the message repeats. */
function end(own: RegisterRecord, record: PlanRecord, today: string): Decision {
  const endDate = record.plan.end;
  if (endDate === undefined) return reject('MISSING_END_DATE', 'an end needs the plan end date');
  if (!isDate(endDate)) return reject('INVALID_DATE', 'a date is not a calendar date YYYY-MM-DD');
  return checkDates(own.type, own.start, endDate, today) ?? { ok: true, change: { op: 'put', record: { ...own, end: endDate, ...uploadFileOf(record) } } };
}

const uploadFileOf = (record: PlanRecord) => (record.uploadFile === undefined ? {} : { uploadFile: record.uploadFile });

/** A delete says when the record was found to be in error; without that date it is refused, as the contract says. */
function remove(own: RegisterRecord, record: PlanRecord): Decision {
  const { deleteDate } = record.plan;
  if (deleteDate === undefined) return reject('MISSING_DELETE_DATE', 'a delete needs the delete date');
  if (!isDate(deleteDate)) return reject('INVALID_DATE', 'a date is not a calendar date YYYY-MM-DD');
  return { ok: true, change: { op: 'remove', record: own } };
}

/**
 * A UCPP's end may lie ahead: a pre-birth plan is made with its planned end (the
 * national UCP carries it always), and stays open until that day (isOpen). A CPP or
 * LAC ends when the LA says it has ended, so its end is refused before that day.
 */
function checkDates(type: PlanType, start: string, endDate: string | undefined, today: string): Decision | undefined {
  if (start > today) return reject('START_IN_FUTURE', 'the plan start is in the future');
  if (endDate === undefined) return undefined;
  if (endDate > today && type !== 'UCPP') return reject('END_IN_FUTURE', `a ${type} end cannot be in the future; send the end when the plan has ended`);
  if (endDate < start) return reject('END_BEFORE_START', 'the plan end is before its start');
  return undefined;
}

/** The LA does not hold the record: say so, or say whose it is when only another LA holds that plan type. */
function missing(held: readonly RegisterRecord[], laOds: string, type: PlanType): Decision {
  const ofType = held.filter((r) => r.type === type);
  if (ofType.length > 0 && ofType.every((r) => r.laOds !== laOds)) {
    return reject('OWNED_BY_ANOTHER_LA', `this person's ${type} is held by another LA; an LA changes only its own records`);
  }
  return reject('NOT_FOUND', `this LA holds no ${type} with this local id for this person`);
}

function reject(detail: RejectCode, reason: string): Decision {
  return { ok: false, detail, reason };
}
