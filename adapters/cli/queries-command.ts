import { Command } from 'commander';
import type { QueryAuditEntry } from '../../engine/query/query-audit.js';
import { withHubOptions, withSession, type HubOptions } from './console-session.js';
import { when } from './formats.js';
import { printJson, printText, terminalWidth } from './output.js';
import { table } from './table.js';

interface QueriesOptions extends HubOptions {
  client?: string;
  nhsNumber?: string;
  limit?: string;
  json?: boolean;
}

interface QueriesPage {
  items: QueryAuditEntry[];
}

/**
 * `cpisx queries`: the point-of-care queries trust systems asked, answered or refused,
 * newest first, silent (scheduled) reads included. A search by NHS number is audited.
 */
export function queriesCommand(): Command {
  const command = new Command('queries')
    .description('point-of-care queries (FHIR and HL7 v3), newest first; NHS numbers masked')
    .option('--client <id>', 'queries of this query client')
    .option('--nhs-number <n>', 'queries about this child (spaces and dashes ignored; the search is audited)')
    .option('--limit <n>', 'how many to show (1-1000, default 100)')
    .option('--json', 'print the API\'s JSON');
  return withHubOptions(command).action((o: QueriesOptions) => withSession(o, async (session) => {
    const page = await session.get<QueriesPage>('/queries', { client: o.client, nhsNumber: o.nhsNumber, limit: o.limit });
    if (o.json) printJson(page);
    else printText(renderQueries(page, Number(o.limit ?? 100), terminalWidth()));
  }));
}

export function renderQueries(page: QueriesPage, limit: number, width: number): string {
  if (page.items.length === 0) return 'no queries match';
  const rows = table([
    { header: 'AT', value: (q) => when(q.at) },
    { header: 'API', value: (q) => q.api },
    { header: 'CLIENT', value: (q) => q.client },
    { header: 'ORG', value: (q) => q.organisation },
    { header: 'USER', value: (q) => q.user, shrink: true },
    { header: 'NHS NUMBER', value: (q) => q.nhsNumber },
    { header: 'ACCESS', value: (q) => access(q.unscheduled) },
    { header: 'OUTCOME', value: (q) => q.outcome },
    { header: 'PLANS', value: (q) => q.plans ?? '—', align: 'right' },
    // A CareTeam search returns no history, so it reads none and counts none.
    { header: 'ACCESSES', value: (q) => q.accesses ?? '—', align: 'right' },
  ], page.items, width);
  const count = page.items.length;
  const more = count >= limit ? '; --limit for more (up to 1000)' : '';
  return `${rows}\n${count} ${count === 1 ? 'query' : 'queries'}, newest first${more}`;
}

/** A scheduled read is silent: it leaves no access history, so only this audit shows it. */
function access(unscheduled: boolean | undefined): string {
  if (unscheduled === undefined) return '';
  return unscheduled ? 'unscheduled' : 'scheduled';
}
