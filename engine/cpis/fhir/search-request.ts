/**
 * What a CP-IS search asks, read from its query string and headers as the HTTP layer parsed them
 * (a repeated parameter arrives as an array). Lenient where the IG's own examples are wrong
 * (../shared/reference/cpis-fhir/README.md §3, §4, §12), strict about everything else.
 */
import { checkNhsNumber } from '../nhs-number.js';
import type { FhirRefusal } from './operation-outcome.js';
import { SYSTEM } from './vocabulary.js';

export type Query = Record<string, string | string[] | undefined>;

/** The IG's sequence diagrams write the NHS number system wrongly; systems built from them send it so. */
const NHS_NUMBER_SYSTEMS = new Set<string>([SYSTEM.nhsNumber, 'http://fhir.nhs.uk/id/nhs-number']);

/**
 * `_include` values meaning "with the PractitionerRoles", which come whatever is asked: the FHIR
 * forms, and the IG's own malformed value. Any other asks for something this API never returns.
 */
const AUDIT_EVENT_INCLUDES = new Set([
  'AuditEvent:agent',
  'AuditEvent:agent:PractitionerRole',
  'AuditEvent:entity-type=http://terminology.hl7.org/CodeSystem/v3-RoleClass|ASSIGNED',
]);

const refuse = (code: FhirRefusal['code'], diagnostics: string): FhirRefusal => ({ ok: false, code, diagnostics });

const given = (...values: (string | string[] | undefined)[]): string[] =>
  values.flat().filter((value): value is string => value !== undefined);

/**
 * `patient:identifier=https://fhir.nhs.uk/Id/nhs-number|N`, also `patient=N` and a token with no
 * system (which FHIR reads as any system). The IG's stray trailing `;` is dropped. Diagnostics
 * never echo the value: it is an NHS number, or meant to be.
 */
export function parsePatientIdentifier(query: Query): { ok: true; nhsNumber: string } | FhirRefusal {
  const values = given(query['patient:identifier'], query.patient);
  if (values.length === 0) return refuse('INVALID_SEARCH_DATA', 'Missing search parameter: patient:identifier');
  if (values.length > 1) return refuse('INVALID_SEARCH_DATA', 'Repeated search parameter: patient:identifier');
  const token = values[0].trim().replace(/;$/, '');
  const bar = token.indexOf('|');
  if (bar >= 0 && !NHS_NUMBER_SYSTEMS.has(token.slice(0, bar))) {
    return refuse('INVALID_SEARCH_DATA', `Unsupported identifier system: patient:identifier takes ${SYSTEM.nhsNumber}`);
  }
  const nhsNumber = token.slice(bar + 1);
  return checkNhsNumber(nhsNumber).valid ? { ok: true, nhsNumber } : refuse('INVALID_SEARCH_DATA', 'Invalid NHS number');
}

/** `IsUnscheduledAccessEvent`: absent means unscheduled (the IG's rule); otherwise true or false in any case. */
export function parseUnscheduled(header: string | string[] | undefined): { ok: true; unscheduled: boolean } | FhirRefusal {
  const values = given(header);
  if (values.length === 0) return { ok: true, unscheduled: true };
  const value = values.length === 1 ? values[0].toLowerCase() : undefined;
  return value === 'true' || value === 'false'
    ? { ok: true, unscheduled: value === 'true' }
    : refuse('PRECONDITION_FAILED', 'Missing or invalid head parameter: IsUnscheduledAccessEvent');
}

/** An AuditEvent search's `_include`s: none, or only ones the PractitionerRoles already answer. */
export function checkAuditEventInclude(query: Query): { ok: true } | FhirRefusal {
  return given(query._include).every((value) => AUDIT_EVENT_INCLUDES.has(value))
    ? { ok: true }
    : refuse('INVALID_SEARCH_DATA', 'Unsupported _include: AuditEvent:agent is the only one (its PractitionerRoles always come)');
}
