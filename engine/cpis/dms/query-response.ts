/**
 * The answers to a national CP-IS NHS query: the `CP-ISNHSQueryResponse` (REPC_IN000007GB01,
 * §4.4) when the register shows plans, and "No Records Found" (QUQI_IN010000UK14, §4.5) when it
 * shows none, the response having to name at least one LA.
 *
 * The response lists the access history (each access with its author as the history keeps it)
 * and then, per LA in the order the plans come, one `pertinentCP-ISRecordControlAct` holding one
 * `record` per record the LA keeps for the person: the plans it holds under one local id, in the
 * response templates, with the LA's ODS code, name and phones and the person each plan is held
 * against.
 *
 * Why a record per local id, not one per LA: a CP-ISRecord carries at most three plans
 * (REPC_MT000007GB01.xsd, pertinentInformation15 1..3), and an LA can hold more for one person,
 * an ended plan beside a new one of the same type (rules.ts). The register holds one plan per
 * LA, type and local id (recordId), so a local id's plans are at most one of each type: they fit,
 * and are what the LA itself uploaded as one record (REPC_MT000002GB01: 1..3 plans, one per type,
 * under the person's local id). A reader matching records to the LA's case records sees them as
 * the LA sent them, and an ended plan never shares a record with the new plan that followed it.
 */
import type { Access, FlagAnswer, QueriedPlan } from '../types.js';
import type { Tree } from '../xml/tree.js';
import { authorTemplate } from './authors.js';
import { asUuid, hl7Day, hl7Time, organisationId, telecoms, uuidFrom } from './hl7.js';
import type { DmsQuery } from './query.js';
import { laLocalId } from './records.js';
import { queriedPlanInformation, subjectTemplate } from './templates.js';
import type { DmsSubject } from './upload.js';
import { acknowledgement, reply, spineMessage, type DmsReplyContext } from './wrapper.js';

export interface DmsAnswerContext extends DmsReplyContext {
  /** The query answered: its sender receives the answer. */
  query: Pick<DmsQuery, 'messageId' | 'senderAsid'>;
}

/**
 * The id an access is listed under: its query's id when it came from a query (an upper-case
 * UUID, as the national schema wants it), else a UUID made from the attendance's id.
 */
export const accessQueryId = (attendanceId: string): string =>
  asUuid(attendanceId) ?? uuidFrom(`access-query:${attendanceId}`);

const count = (n: number): Tree => ({ value: { '@value': String(n) } });

function accessRecord(access: Access, nhsNumber: string): Tree {
  return {
    'pertinentCP-ISNHSQuery': {
      effectiveTime: { '@value': hl7Time(access.at) },
      id: { '@root': accessQueryId(access.attendanceId) },
      author: authorTemplate(access, { ods: access.careSettingOds, name: access.careSettingName }),
      queryByParameter: { 'person.NHSnumber': { value: { '@extension': nhsNumber } } },
    },
  };
}

function subjectOf(plan: QueriedPlan): DmsSubject {
  const { subject } = plan;
  return {
    kind: subject.role === 'child' ? 'child' : 'unborn',
    nhsNumber: subject.nhsNumber,
    localId: laLocalId(plan.localId, subject.nhsNumber),
    birthTime: hl7Day(subject.birthDate),
    givenName: subject.givenName,
    familyName: subject.familyName,
  };
}

/** One subject per role (the child, the mother), as the first of the LA's plans about it gives it. */
function subjectsOf(plans: readonly QueriedPlan[]): Tree[] {
  const firsts = plans.filter((plan, i) => plans.findIndex((p) => p.subject.role === plan.subject.role) === i);
  return firsts.map((plan) => subjectTemplate(subjectOf(plan)));
}

/** One of the LA's records: the plans it holds under one local id. */
function record(plans: readonly QueriedPlan[]): Tree {
  const { la } = plans[0];
  return {
    communicationFunctionSnd: {
      organisation: { id: organisationId(la.ods), name: la.name, telecom: telecoms(la.officePhone, la.emergencyPhone) },
    },
    'CP-ISRecord': { pertinentInformation15: plans.map(queriedPlanInformation), subject: subjectsOf(plans) },
  };
}

function laRecords(plans: readonly QueriedPlan[]): Tree {
  return { 'pertinentCP-ISRecordControlAct': { record: groupBy(plans, (plan) => plan.localId).map(record) } };
}

/** Groups in the order each key first comes, each group in the order given. */
function groupBy(plans: readonly QueriedPlan[], key: (plan: QueriedPlan) => string): QueriedPlan[][] {
  const groups = new Map<string, QueriedPlan[]>();
  for (const plan of plans) groups.set(key(plan), [...(groups.get(key(plan)) ?? []), plan]);
  return [...groups.values()];
}

/** The response; a RangeError for an answer without plans (answer it with buildDmsNoRecords). */
export function buildDmsQueryResponse(answer: FlagAnswer, context: DmsAnswerContext): string {
  if (answer.plans.length === 0) throw new RangeError('a query response names at least one plan');
  return spineMessage({
    interaction: 'REPC_IN000007GB01',
    ...reply(context),
    to: context.query.senderAsid,
    controlAct: {
      subject: {
        '@typeCode': 'SUBJ',
        'CP-ISNHSQueryResponse': {
          effectiveTime: { '@value': hl7Time(context.at) },
          id: { '@root': uuidFrom(`query-response:${context.messageId}`) },
          pertinentInformation11: { pertinentTotalReturnedAccessRecords: count(answer.accesses.length) },
          pertinentInformation12: { pertinentTotalReturnedChildRecords: count(answer.plans.length) },
          pertinentInformation13: answer.accesses.map((access) => accessRecord(access, answer.nhsNumber)),
          pertinentInformation14: groupBy(answer.plans, (plan) => plan.la.ods).map(laRecords),
        },
      },
      queryAck: { queryResponseCode: { '@code': 'OK' } },
    },
  });
}

/**
 * "No Records Found". The acknowledgement is AA: the query was read and answered, and NF says
 * there is nothing to show; AE would tell the asker its query was at fault.
 */
export function buildDmsNoRecords(context: DmsAnswerContext): string {
  return spineMessage({
    interaction: 'QUQI_IN010000UK14',
    ...reply(context),
    to: context.query.senderAsid,
    acknowledgement: acknowledgement('AA', context.query.messageId),
    controlAct: { queryAck: { queryResponseCode: { '@code': 'NF' } } },
  });
}

/** The response when the answer shows plans, else "No Records Found". */
export const buildDmsQueryAnswer = (answer: FlagAnswer, context: DmsAnswerContext): string =>
  answer.plans.length > 0 ? buildDmsQueryResponse(answer, context) : buildDmsNoRecords(context);
