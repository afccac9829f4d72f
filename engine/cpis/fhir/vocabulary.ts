/**
 * The systems and codes the CP-IS FHIR API uses (../shared/reference/cpis-fhir/README.md §3, §4, §6).
 * No custom code systems: SNOMED CT for the plan, HL7's for the audit event, NHS England's identifiers.
 */
import type * as fhir4 from 'fhir/r4.js';
import type { PlanType } from '../types.js';

export const SYSTEM = {
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  sdsUserId: 'https://fhir.nhs.uk/Id/sds-user-id',
  sdsRoleProfileId: 'https://fhir.nhs.uk/Id/sds-role-profile-id',
  odsOrganisation: 'https://fhir.nhs.uk/Id/ods-organization-code',
  spineAsid: 'https://fhir.nhs.uk/Id/nhsSpineASID',
  /** Job roles as CIS2 and Spine name them (R8000 and the like); not SNOMED, which the 2023 example used. */
  sdsJobRole: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-SDSJobRoleName',
  snomed: 'http://snomed.info/sct',
  spineError: 'https://fhir.nhs.uk/CodeSystem/England-SpineErrorOrWarningCode',
} as const;

/** England-ChildProtectionPlan, the value set bound to CareTeam.category. */
export const PLAN_CATEGORY: Record<PlanType, fhir4.Coding> = {
  CPP: { system: SYSTEM.snomed, code: '342191000000101', display: 'Subject to child protection plan' },
  LAC: { system: SYSTEM.snomed, code: '764841000000100', display: 'Looked after child' },
  UCPP: { system: SYSTEM.snomed, code: '818901000000100', display: 'Unborn child subject to child protection plan' },
};

export const ACCESS_EVENT: fhir4.Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle',
  code: 'access',
  display: 'Access/View Record Lifecycle Event',
};

const ROLE_CLASS = 'http://terminology.hl7.org/CodeSystem/v3-RoleClass';

export const AGENT_TYPE = {
  patient: { system: ROLE_CLASS, code: 'PAT', display: 'patient' },
  assigned: { system: ROLE_CLASS, code: 'ASSIGNED', display: 'assigned entity' },
  /** DICOM's, from R4's participation role types: the system that asked on the person's behalf. */
  application: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150', display: 'Application' },
} satisfies Record<string, fhir4.Coding>;

export const nhsNumberIdentifier = (nhsNumber: string): fhir4.Identifier => ({ system: SYSTEM.nhsNumber, value: nhsNumber });
