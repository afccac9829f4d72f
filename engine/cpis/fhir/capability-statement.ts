/**
 * What `GET [base]/metadata` answers: this server's own CapabilityStatement, modelled on NHS
 * England's CPIS-FHIR-API-Producer (../shared/reference/cpis-fhir/README.md §1), which it
 * instantiates. Kind `instance`, not the Producer's `requirements`: it names this software and
 * where it runs, which FHIR forbids a requirements statement to do.
 */
import type * as fhir4 from 'fhir/r4.js';
import { SYSTEM } from './vocabulary.js';

/** When this statement last changed: FHIR requires a date, and it is a fact about the code, not the clock. */
const STATEMENT_DATE = '2026-11-29';

const BY_NHS_NUMBER =
  `By NHS number only: patient:identifier=${SYSTEM.nhsNumber}|{NHS number} (patient={NHS number} is also accepted).`;

const SECURITY_SERVICE = (code: 'OAuth' | 'Certificates'): fhir4.CodeableConcept =>
  ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code }] });

/** Not NHS England's CIS2 model, where the token carries the user: here it names the calling system only. */
const SECURITY =
  'The calling system is a configured query client, known by a bearer token from POST /cpis/oauth2/token ' +
  '(OAuth2 client credentials) or, where the server asks for one, by its client certificate over mutual TLS; ' +
  'the client\'s organisation is the one asking. The token or certificate names no user: the user is stated on ' +
  'each request in X-User-Name, with X-User-Role, X-User-Id, X-User-Role-Code and X-User-Role-Profile-Id. ' +
  'A client configured with a responsible person may leave them out, and is recorded as that person.';

function searchByPatient(type: 'CareTeam' | 'AuditEvent', definition: string): fhir4.CapabilityStatementRestResource {
  return {
    type,
    profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
    interaction: [{ code: 'search-type' }],
    searchParam: [{ name: 'patient', definition, type: 'reference', documentation: BY_NHS_NUMBER }],
  };
}

export function capabilityStatement(base: string): fhir4.CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    name: 'CpisExchangeFhirServer',
    title: 'cpis-exchange CP-IS FHIR API',
    status: 'active',
    date: STATEMENT_DATE,
    kind: 'instance',
    instantiates: ['https://fhir.nhs.uk/CapabilityStatement/CPIS-FHIR-API-Producer'],
    software: { name: 'cpis-exchange' },
    implementation: { description: 'CP-IS point-of-care query: child protection plans and their access history', url: base },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{
      mode: 'server',
      security: {
        service: [SECURITY_SERVICE('OAuth'), SECURITY_SERVICE('Certificates')],
        description: SECURITY,
      },
      resource: [
        {
          ...searchByPatient('CareTeam', 'http://hl7.org/fhir/SearchParameter/clinical-patient'),
          documentation: 'One CareTeam per plan, open or recently ended. Header IsUnscheduledAccessEvent: true (the default) ' +
            'records the access and tells each LA with an open plan, once per X-Request-ID; false is a silent read.',
        },
        {
          ...searchByPatient('AuditEvent', 'http://hl7.org/fhir/SearchParameter/AuditEvent-patient'),
          searchInclude: ['AuditEvent:agent'],
          documentation: 'The access history, newest first, at most 25; the PractitionerRole of each viewer is always included. ' +
            'This search records no access, whatever IsUnscheduledAccessEvent says: the look is the CareTeam search\'s.',
        },
      ],
    }],
  };
}
