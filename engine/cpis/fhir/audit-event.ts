/**
 * The AuditEvent search's answer (../shared/reference/cpis-fhir/README.md §4): one AuditEvent per
 * access in the history, each pointing at an included PractitionerRole saying who looked, in what
 * role and for which organisation.
 */
import type * as fhir4 from 'fhir/r4.js';
import type { Access, FlagAnswer } from '../types.js';
import { resourceId, searchset, type FhirRequest, type Identified, type SearchEntry } from './bundle.js';
import { ACCESS_EVENT, AGENT_TYPE, nhsNumberIdentifier, SYSTEM } from './vocabulary.js';

function role(access: Access): Pick<fhir4.PractitionerRole, 'code'> {
  if (access.role === undefined && access.roleCode === undefined) return {};
  const code = access.roleCode === undefined ? {} : { system: SYSTEM.sdsJobRole, code: access.roleCode };
  return { code: [{ coding: [{ ...code, ...(access.role !== undefined && { display: access.role }) }] }] };
}

/**
 * An access with no named person (an attendance a PAS reported without a clinician) still gets
 * a role, with only the care setting: consumers read the organisation from the PractitionerRole.
 */
function practitioner(access: Access): Pick<fhir4.PractitionerRole, 'practitioner'> {
  if (access.by === undefined && access.userId === undefined) return {};
  return {
    practitioner: {
      ...(access.userId !== undefined && { identifier: { system: SYSTEM.sdsUserId, value: access.userId } }),
      ...(access.by !== undefined && { display: access.by }),
    },
  };
}

/**
 * Its id is a digest of everything it says, so one person's repeat visits share one entry and
 * two roles differing in anything never do.
 */
function practitionerRole(access: Access): Identified<fhir4.PractitionerRole> {
  const content: Omit<fhir4.PractitionerRole, 'resourceType'> = {
    ...(access.roleProfileId !== undefined && { identifier: [{ system: SYSTEM.sdsRoleProfileId, value: access.roleProfileId }] }),
    ...practitioner(access),
    organization: {
      identifier: { system: SYSTEM.odsOrganisation, value: access.careSettingOds },
      display: `${access.careSettingName} (${access.careSettingOds})`,
    },
    ...role(access),
  };
  return { resourceType: 'PractitionerRole', id: resourceId(`PractitionerRole:${JSON.stringify(content)}`), ...content };
}

/**
 * The ASID of a system asking on a person's behalf is a fact about this access, not the person's
 * role, so it is a third agent (an application, not the requestor) rather than a role identifier.
 */
const application = (asid: string): fhir4.AuditEventAgent => ({
  type: { coding: [AGENT_TYPE.application] },
  who: { identifier: { system: SYSTEM.spineAsid, value: asid } },
  requestor: false,
});

function auditEvent(nhsNumber: string, access: Access, roleId: string): Identified<fhir4.AuditEvent> {
  const viewer = { reference: `PractitionerRole/${roleId}` };
  return {
    resourceType: 'AuditEvent',
    // Attendance ids are the trust's own: the care setting makes them unique across trusts.
    id: resourceId(`AuditEvent:${access.careSettingOds}:${access.attendanceId}`),
    type: ACCESS_EVENT,
    recorded: access.at,
    agent: [
      { type: { coding: [AGENT_TYPE.patient] }, who: { identifier: nhsNumberIdentifier(nhsNumber) }, requestor: false },
      { type: { coding: [AGENT_TYPE.assigned] }, who: viewer, requestor: true },
      ...(access.system === undefined ? [] : [application(access.system)]),
    ],
    source: { observer: viewer },
  };
}

/** The history in its order (newest first), then each distinct PractitionerRole once, in order of first mention. */
export function auditEventBundle(answer: FlagAnswer, request: FhirRequest): fhir4.Bundle<fhir4.AuditEvent | fhir4.PractitionerRole> {
  const roles = new Map<string, Identified<fhir4.PractitionerRole>>();
  const events = answer.accesses.map((access) => {
    const viewer = practitionerRole(access);
    roles.set(viewer.id, viewer);
    return auditEvent(answer.nhsNumber, access, viewer.id);
  });
  const entries: SearchEntry<fhir4.AuditEvent | fhir4.PractitionerRole>[] = [
    ...events.map((resource) => ({ resource, mode: 'match' as const })),
    ...[...roles.values()].map((resource) => ({ resource, mode: 'include' as const })),
  ];
  return searchset(request, events.length, entries);
}
