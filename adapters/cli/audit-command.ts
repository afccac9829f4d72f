import { Command } from 'commander';
import { AUDIT_ACTIONS, type AuditEntry } from '../../engine/console/audit.js';
import { auditVerifyCommand } from './audit-verify-command.js';
import { withHubOptions, withSession, type HubOptions } from './console-session.js';
import { pageFooter, when } from './formats.js';
import { printJson, printText, terminalWidth } from './output.js';
import { table } from './table.js';

interface AuditOptions extends HubOptions {
  by?: string;
  action?: string;
  message?: string;
  from?: string;
  to?: string;
  limit?: string;
  offset?: string;
  json?: boolean;
}

interface AuditPage {
  total: number;
  items: AuditEntry[];
}

/**
 * `cpisx audit`: who did what to which messages, newest first. `--user` is the signed-in
 * account; the filter on who acted is `--by`. `cpisx audit verify` checks the chain.
 */
export function auditCommand(): Command {
  const command = new Command('audit')
    .description('the audit log of staff actions, newest first')
    .option('--by <user>', 'actions of this staff user')
    .option('--action <action>', AUDIT_ACTIONS.join(', '))
    .option('--message <id>', 'actions on this message')
    .option('--from <time>', 'at or after (ISO date and time)')
    .option('--to <time>', 'at or before (ISO date and time)')
    .option('--limit <n>', 'how many to show (1-500, default 50)')
    .option('--offset <n>', 'how many to skip')
    .option('--json', 'print the API\'s JSON')
    .addCommand(auditVerifyCommand());
  return withHubOptions(command).action((o: AuditOptions) => withSession(o, async (session) => {
    const query = { user: o.by, action: o.action, messageId: o.message, from: o.from, to: o.to, limit: o.limit, offset: o.offset };
    const page = await session.get<AuditPage>('/audit', query);
    if (o.json) printJson(page);
    else printText(renderAudit(page, Number(o.offset ?? 0), terminalWidth()));
  }));
}

export function renderAudit(page: AuditPage, offset: number, width: number): string {
  if (page.total === 0) return 'no audit events match';
  const rows = table([
    { header: 'AT', value: (e) => when(e.at) },
    { header: 'USER', value: (e) => e.user },
    { header: 'FROM', value: (e) => e.ip },
    { header: 'ACTION', value: (e) => e.action },
    { header: 'OUTCOME', value: (e) => e.outcome },
    { header: 'MESSAGES', value: (e) => messages(e.messageIds) },
    { header: 'DETAIL', value: (e) => e.detail, shrink: true },
  ], page.items, width);
  return `${rows}\n${pageFooter(offset, page.items.length, page.total, 'audit events')}`;
}

/** A bulk replay names every message; the table names the first and counts the rest (`--json` has them all). */
function messages(ids: string[]): string {
  return ids.length > 1 ? `${ids[0]} +${ids.length - 1}` : (ids[0] ?? '');
}
