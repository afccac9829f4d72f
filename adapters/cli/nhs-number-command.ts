import { Command } from 'commander';
import type { SupersededSummary } from '../../engine/operations/superseded-nhs-number.js';
import { CliError } from './cli-error.js';
import { withHubOptions, withSession, type HubOptions } from './console-session.js';
import { printJson, printText, terminalWidth } from './output.js';
import { table } from './table.js';

type JsonOption = HubOptions & { json?: boolean };

/**
 * `cpisx nhs-number superseded OLD NEW` (admin): each LA holding records for OLD is told of
 * NEW. Running it again sends nothing twice. An LA the hub could not tell is listed and makes
 * the exit status 1, so a script sees it.
 */
export function nhsNumberCommand(): Command {
  const superseded = withHubOptions(new Command('superseded')
    .description('tell each LA holding records for OLD that NEW replaces it (admin)')
    .argument('<old>', 'the superseded NHS number')
    .argument('<new>', 'the NHS number that replaces it')
    .option('--json', 'print the API\'s JSON'))
    .action((old: string, replacement: string, o: JsonOption) => withSession(o, async (session) => {
      const summary = await session.post<SupersededSummary>('/nhs-numbers/superseded', { old, new: replacement });
      if (o.json) printJson(summary);
      else printText(renderSuperseded(summary, terminalWidth()));
      if (summary.notNotified.length > 0) {
        throw new CliError('NOT_NOTIFIED', `${summary.notNotified.map((n) => n.la).join(', ')} could not be told; fix the configuration and run the command again`);
      }
    }));
  return new Command('nhs-number').description('NHS numbers on the register').addCommand(superseded);
}

export function renderSuperseded(summary: SupersededSummary, width: number): string {
  if (summary.records === 0) return 'no LA holds records for the old number; nothing sent';
  const parts = [`${summary.records} records held for the old number`];
  if (summary.notified.length > 0) {
    parts.push(table([
      { header: 'LA', value: (n) => n.la },
      { header: 'MAILBOX', value: (n) => n.mailbox },
      { header: 'FORMAT', value: (n) => n.format },
      { header: 'RECORDS', value: (n) => n.records, align: 'right' },
      { header: 'MESSAGE ID', value: (n) => n.messageId },
      { header: 'SENT', value: (n) => (n.alreadySent ? 'before' : 'now') },
    ], summary.notified, width));
  }
  if (summary.notNotified.length > 0) {
    parts.push(`not notified\n${table([
      { header: 'LA', value: (n) => n.la },
      { header: 'RECORDS', value: (n) => n.records, align: 'right' },
      { header: 'REASON', value: (n) => n.reason },
      { header: 'DETAIL', value: (n) => n.message, shrink: true },
    ], summary.notNotified, width)}`);
  }
  return parts.join('\n\n');
}
