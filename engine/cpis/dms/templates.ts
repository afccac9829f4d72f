/** The upload's plan and subject templates written back, as the acknowledgement echoes them. */
import type { Tree } from '../xml/tree.js';
import { contentId, OID } from './hl7.js';
import type { DmsPlan, DmsSubject } from './upload.js';
import { SUBJECT_TEMPLATE, UPLOAD_TEMPLATE } from './vocabulary.js';

const dated = (element: string, value: string | undefined): Tree | undefined =>
  value === undefined ? undefined : { [element]: { value: { '@value': value } } };

/** `pertinentInformation` content: content id, then the plan template with start, end and delete dates. */
export function planInformation(plan: DmsPlan): Tree {
  const { template, element, dates } = UPLOAD_TEMPLATE[plan.type];
  return {
    'npfitlc:contentId': contentId(template),
    [element]: {
      component: dated(`${dates}StartDate`, plan.start),
      component1: dated(`${dates}EndDate`, plan.end),
      component2: dated(`${dates}DeleteDate`, plan.deleteDate),
    },
  };
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
