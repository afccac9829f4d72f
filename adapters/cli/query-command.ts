import { Command } from 'commander';
import type { PlanType } from '../../engine/cpis/types.js';
import { flagOf, type Flag, type FlagAccess, type FlagLa } from './fhir-flag.js';
import { when } from './formats.js';
import { printJson, printText, terminalWidth } from './output.js';
import { QueryApi } from './query-api.js';
import { querySettings, type QuerySource } from './query-settings.js';
import { table } from './table.js';

type QueryOptions = QuerySource & { scheduled?: boolean; history?: boolean; json?: boolean; requestId?: string };

const PLAN_WORDS: Record<PlanType, string> = {
  CPP: 'child protection plan',
  LAC: 'looked after child',
  UCPP: 'unborn child protection plan',
};

/** Enough of the history to fit one screen beside the plans; --json has all of it. */
const SHOWN_ACCESSES = 5;

const HELP = `
By default the query is an unscheduled access, as at the point of care: the hub records it in
the child's access history and notifies each LA with an open plan. --scheduled is a silent read
(a planned check): nothing is recorded and no LA is told.

The client and its secret: --config FILE (a PAS adapter file's query section), or --client ID
(or CPISX_QUERY_CLIENT) with the secret in CPISX_QUERY_SECRET. The hub: --hub, else CPISX_HUB,
else the file's query.url or the adapter's hub. A client that is not a system client with a
responsible person must name its user: --user-name (and --user-role, --user-id), or query.user.

Exit status: 0 when answered (flagged or not), 1 when refused or the hub cannot be reached, 2 for usage.`;

/** `cpisx query NHSNUMBER`: the point-of-care query, for staff at a trust and the PAS's scripts. */
export function queryCommand(): Command {
  return new Command('query')
    .description('is this child flagged? the plans and each LA\'s contacts, from the hub\'s CP-IS query')
    .argument('<nhs-number>', 'the child\'s NHS number')
    .option('-c, --config <file>', 'a PAS adapter configuration with a query section (YAML)')
    .option('--hub <url>', 'the hub\'s base URL')
    .option('--client <id>', 'the query client (the hub\'s queryClients id)')
    .option('--user-name <name>', 'the person asking (X-User-Name)')
    .option('--user-role <role>', 'their job role (X-User-Role)')
    .option('--user-id <id>', 'their SDS user id (X-User-Id)')
    .option('--scheduled', 'a silent read: not recorded, no LA notified (default: an unscheduled access, recorded and notified)')
    .option('--history', 'also show who has looked at the flag (the access history)')
    .option('--request-id <id>', 'this query\'s id (X-Request-ID): a retry with the same id is the same query, recorded and notified once')
    .option('--json', 'print the flag as JSON')
    .addHelpText('after', HELP)
    .action(async (nhsNumber: string, o: QueryOptions) => {
      const api = await QueryApi.open(await querySettings(o));
      const careTeams = await api.search('CareTeam', nhsNumber, { unscheduled: !o.scheduled, requestId: o.requestId });
      // Reading the history is not another look at the flag: the search above recorded this one.
      const history = o.history ? await api.search('AuditEvent', nhsNumber, { unscheduled: false }) : undefined;
      const flag = flagOf(nhsNumber, careTeams, history);
      if (o.json) printJson(flag);
      else printText(renderFlag(flag, !o.scheduled, terminalWidth()));
    });
}

export function renderFlag(flag: Flag, unscheduled: boolean, width: number): string {
  const parts = [headline(flag, unscheduled)];
  if (flag.flagged) {
    parts.push(table([
      { header: 'PLAN', value: (p) => PLAN_WORDS[p.type] },
      { header: 'START', value: (p) => p.start },
      { header: 'END', value: (p) => p.end ?? 'open' },
      { header: 'LA', value: (p) => p.la.name, shrink: true },
    ], flag.plans, width));
    parts.push(table([
      { header: 'LA', value: (la) => la.name },
      { header: 'OFFICE HOURS', value: (la) => la.officePhone ?? '-' },
      { header: 'EMERGENCY DUTY', value: (la) => la.emergencyPhone ?? '-' },
    ], distinctLas(flag), width));
  }
  if (flag.accesses) parts.push(renderAccesses(flag.accesses, width));
  return parts.join('\n\n');
}

function headline(flag: Flag, unscheduled: boolean): string {
  if (!flag.flagged) return `NOT FLAGGED  NHS number ${flag.nhsNumber}: no plan on the register`;
  const plans = flag.plans.length === 1 ? '1 plan' : `${flag.plans.length} plans`;
  const told = unscheduled ? 'this access is recorded and each LA with an open plan is told' : 'a silent read: not recorded, no LA told';
  return `FLAGGED  NHS number ${flag.nhsNumber}: ${plans}\n(${told})`;
}

/** Each LA once, in the order of its first plan: one LA often holds two plans for a child. */
function distinctLas(flag: Flag): FlagLa[] {
  const byName = new Map<string, FlagLa>();
  for (const { la } of flag.plans) if (!byName.has(la.name)) byName.set(la.name, la);
  return [...byName.values()];
}

function renderAccesses(accesses: FlagAccess[], width: number): string {
  if (accesses.length === 0) return 'no accesses in the history';
  const shown = accesses.slice(0, SHOWN_ACCESSES);
  const title = shown.length < accesses.length ? `last ${shown.length} of ${accesses.length} accesses` : `accesses (${accesses.length})`;
  return `${title}\n${table([
    { header: 'WHEN', value: (a) => when(a.at) },
    { header: 'BY', value: (a) => a.by, shrink: true },
    { header: 'ROLE', value: (a) => a.role, shrink: true },
    { header: 'CARE SETTING', value: (a) => a.careSetting, shrink: true },
  ], shown, width)}`;
}
