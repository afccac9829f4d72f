/**
 * The flag as `cpisx query` shows it, read back from the hub's FHIR answers: what staff at the
 * point of care need (the plans, each LA's phones, who looked), and `--json`'s shape for scripts.
 */
import type * as fhir4 from 'fhir/r4.js';
import { PLAN_CATEGORY } from '../../engine/cpis/fhir/vocabulary.js';
import type { PlanType } from '../../engine/cpis/types.js';
import { CliError } from './cli-error.js';

export interface FlagLa {
  name: string;
  officePhone: string | null;
  emergencyPhone: string | null;
}

export interface FlagPlan {
  type: PlanType;
  start: string;
  /** Null while the plan is open. */
  end: string | null;
  la: FlagLa;
}

export interface FlagAccess {
  at: string;
  by: string | null;
  role: string | null;
  careSetting: string | null;
}

export interface Flag {
  nhsNumber: string;
  flagged: boolean;
  plans: FlagPlan[];
  /** Newest first; only when the history was asked for. */
  accesses?: FlagAccess[];
}

const PLAN_TYPES = new Map(Object.entries(PLAN_CATEGORY).map(([type, coding]) => [coding.code, type as PlanType]));

const resources = <T extends fhir4.Resource>(bundle: fhir4.Bundle, type: T['resourceType'], mode: 'match' | 'include') =>
  (bundle.entry ?? []).filter((e) => e.resource?.resourceType === type && (e.search?.mode ?? 'match') === mode).map((e) => e.resource as T);

export function flagOf(nhsNumber: string, careTeams: fhir4.Bundle, history?: fhir4.Bundle): Flag {
  const plans = resources<fhir4.CareTeam>(careTeams, 'CareTeam', 'match').map(planOf);
  return { nhsNumber, flagged: plans.length > 0, plans, ...(history && { accesses: accessesOf(history) }) };
}

function planOf(team: fhir4.CareTeam): FlagPlan {
  const code = team.category?.[0]?.coding?.[0]?.code;
  const type = code === undefined ? undefined : PLAN_TYPES.get(code);
  if (!type || !team.period?.start || !team.name) throw new CliError('BAD_ANSWER', `the hub answered a CareTeam without a known plan category, a start or an LA name (category ${code ?? 'none'})`);
  const phone = (use: fhir4.ContactPoint['use']) => team.telecom?.find((t) => t.system === 'phone' && t.use === use)?.value ?? null;
  return {
    type,
    start: team.period.start,
    end: team.period.end ?? null,
    la: { name: team.name, officePhone: phone('work'), emergencyPhone: phone('mobile') },
  };
}

/** Each AuditEvent with the PractitionerRole its requestor points at. */
function accessesOf(history: fhir4.Bundle): FlagAccess[] {
  const roles = new Map(resources<fhir4.PractitionerRole>(history, 'PractitionerRole', 'include').map((r) => [`PractitionerRole/${r.id}`, r]));
  return resources<fhir4.AuditEvent>(history, 'AuditEvent', 'match').map((event) => {
    const reference = event.agent.find((a) => a.requestor)?.who?.reference;
    const role = reference === undefined ? undefined : roles.get(reference);
    return {
      at: event.recorded,
      by: role?.practitioner?.display ?? null,
      role: role?.code?.[0]?.coding?.[0]?.display ?? null,
      careSetting: role?.organization?.display ?? null,
    };
  });
}
