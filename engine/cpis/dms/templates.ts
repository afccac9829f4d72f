/**
 * The plan and subject templates: the upload's written back (the acknowledgement echoes them),
 * and the response's (the query response).
 */
import type { QueriedPlan } from '../types.js';
import type { Tree } from '../xml/tree.js';
import { contentId, OID, planDate } from './hl7.js';
import type { DmsPlan, DmsSubject } from './upload.js';
import { RESPONSE_TEMPLATE, SUBJECT_TEMPLATE, UPLOAD_TEMPLATE, type PlanTemplate } from './vocabulary.js';

const dated = (element: string, value: string | undefined): Tree | undefined =>
  value === undefined ? undefined : { [element]: { value: { '@value': value } } };

function planTemplate({ template, element, dates }: PlanTemplate, start: string, end?: string, deleteDate?: string): Tree {
  return {
    'npfitlc:contentId': contentId(template),
    [element]: {
      component: dated(`${dates}StartDate`, start),
      component1: dated(`${dates}EndDate`, end),
      component2: dated(`${dates}DeleteDate`, deleteDate),
    },
  };
}

/** `pertinentInformation` content: content id, then the upload template with start, end and delete dates. */
export const planInformation = (plan: DmsPlan): Tree =>
  planTemplate(UPLOAD_TEMPLATE[plan.type], plan.start, plan.end, plan.deleteDate);

/**
 * The end the response gives a UCPP the register holds without one (a native upload may leave it
 * out): the response template requires an end, and the last time its dates can say keeps the
 * plan open to every reader, where any nearer date would be an invented planned end.
 */
export const UCPP_END_NOT_GIVEN = '209912312359';

/** `pertinentInformation15` content: content id, then the response template with start and end dates. */
export function queriedPlanInformation(plan: QueriedPlan): Tree {
  const end = plan.end === undefined ? undefined : planDate(plan.end);
  return planTemplate(RESPONSE_TEMPLATE[plan.type], planDate(plan.start), end ?? (plan.type === 'UCPP' ? UCPP_END_NOT_GIVEN : undefined));
}

function personIds(subject: DmsSubject): Tree[] {
  return [
    ...(subject.nhsNumber === undefined ? [] : [{ '@root': OID.nhsNumber, '@extension': subject.nhsNumber }]),
    ...(subject.localId === undefined
      ? []
      : [{ '@root': OID.localPersonId, '@extension': subject.localId, '@assigningAuthorityName': subject.localIdAuthority }]),
  ];
}

/** `subject` content: content id, then the Child or UnbornChild template. */
export function subjectTemplate(subject: DmsSubject): Tree {
  const person = {
    birthTime: { '@value': subject.birthTime },
    name: { given: subject.givenName, family: subject.familyName },
  };
  if (subject.kind === 'child') {
    return {
      'npfitlc:contentId': contentId(SUBJECT_TEMPLATE.child.template),
      [SUBJECT_TEMPLATE.child.element]: { id: personIds(subject), childPerson: person },
    };
  }
  return {
    'npfitlc:contentId': contentId(SUBJECT_TEMPLATE.unborn.template),
    [SUBJECT_TEMPLATE.unborn.element]: {
      parentMotherPerson: { ...person, playedMother: { id: personIds(subject) } },
    },
  };
}
