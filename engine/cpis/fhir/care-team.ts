/**
 * The CareTeam search's answer (../shared/reference/cpis-fhir/README.md §3): one CareTeam per
 * visible plan, its LA carried only as the team's name and phones. No status: the IG leaves it
 * out, and deriving it from the period would need a clock and restate the register's rules.
 */
import type * as fhir4 from 'fhir/r4.js';
import type { FlagAnswer, QueriedPlan } from '../types.js';
import { resourceId, searchset, type FhirRequest, type Identified } from './bundle.js';
import { nhsNumberIdentifier, PLAN_CATEGORY } from './vocabulary.js';

/** Office hours is `work` and emergency duty `mobile`: how the IG tells consumers to read them. */
function telecom(plan: QueriedPlan): fhir4.ContactPoint[] {
  return [
    ...(plan.la.officePhone ? [{ system: 'phone' as const, use: 'work' as const, value: plan.la.officePhone }] : []),
    { system: 'phone', use: 'mobile', value: plan.la.emergencyPhone },
  ];
}

/**
 * The id is made from the LA's key for the record, not the NHS number: ids may be logged, and a
 * digest of a ten-digit number with a public namespace can be reversed by trying them all.
 */
function careTeam(plan: QueriedPlan): Identified<fhir4.CareTeam> {
  const { subject } = plan;
  return {
    resourceType: 'CareTeam',
    id: resourceId(`CareTeam:${plan.la.ods}:${plan.type}:${plan.localId}`),
    category: [{ coding: [PLAN_CATEGORY[plan.type]] }],
    name: plan.la.name,
    subject: { identifier: nhsNumberIdentifier(subject.nhsNumber), display: `${subject.givenName} ${subject.familyName.toUpperCase()}` },
    period: { start: plan.start, ...(plan.end && { end: plan.end }) },
    telecom: telecom(plan),
  };
}

/** No record is not an error: an empty searchset with total 0. */
export function careTeamBundle(answer: FlagAnswer, request: FhirRequest): fhir4.Bundle<fhir4.CareTeam> {
  return searchset(request, answer.plans.length, answer.plans.map((plan) => ({ resource: careTeam(plan), mode: 'match' })));
}
