import { Command } from 'commander';
import type { MessageDetail } from '../../engine/console/message-view.js';
import { messagePath, type FailedPage } from './api.js';
import { withHubOptions, withSession, type HubOptions } from './console-session.js';
import { filterQuery, withFilterOptions, withPageOptions, type FilterOptions } from './failed-filter.js';
import { pageFooter, when } from './formats.js';
import { printJson, printText, terminalWidth } from './output.js';
import { replayCommand } from './replay-command.js';
import { renderMessage } from './show-message.js';
import { table } from './table.js';

interface ListOptions extends HubOptions, FilterOptions {
  sort?: string;
  order?: string;
  limit?: string;
  offset?: string;
  json?: boolean;
}

/** `cpisx failed list|show|replay|discard`: the console's failed messages, from a terminal. */
export function failedCommand(): Command {
  return new Command('failed')
    .description('failed messages: find, read, replay, discard')
    .addCommand(listCommand())
    .addCommand(showCommand())
    .addCommand(replayCommand())
    .addCommand(discardCommand());
}

function listCommand(): Command {
  const command = new Command('list').description('failed messages matching the filters, newest failure first').option('--json', 'print the API\'s JSON');
  return withHubOptions(withPageOptions(withFilterOptions(command))).action((o: ListOptions) => withSession(o, async (session) => {
    const query = { ...filterQuery(o), sort: o.sort, order: o.order, limit: o.limit, offset: o.offset };
    const page = await session.get<FailedPage>('/failed', query);
    if (o.json) printJson(page);
    else printText(renderFailedPage(page, Number(o.offset ?? 0), terminalWidth()));
  }));
}

export function renderFailedPage(page: FailedPage, offset: number, width: number): string {
  if (page.total === 0) return 'no failed messages match';
  const rows = table([
    { header: 'MESSAGE ID', value: (m) => m.messageId },
    { header: 'WORKFLOW', value: (m) => m.workflowId, shrink: true },
    { header: 'FROM', value: (m) => m.from },
    { header: 'TO', value: (m) => m.to },
    { header: 'LOCAL ID', value: (m) => m.localId, shrink: true },
    { header: 'FAILED AT', value: (m) => when(m.failedAt) },
    { header: 'REASON', value: (m) => m.reason, shrink: true },
    { header: 'TRIES', value: (m) => m.attempts, align: 'right' },
    { header: 'NHS NUMBER', value: (m) => m.nhsNumber },
  ], page.items, width);
  return `${rows}\n${pageFooter(offset, page.items.length, page.total, 'failed messages')}`;
}

/** `show <id>`: any message, failed or not (also `cpisx message show`). */
export function showCommand(): Command {
  const command = new Command('show')
    .description('one message: metadata, attempts, journey and its text (NHS numbers and names masked)')
    .argument('<id>', 'message id')
    .option('--unmask', 'show the text unmasked (admin; audited)')
    .option('--json', 'print the API\'s JSON');
  return withHubOptions(command).action((id: string, o: HubOptions & { unmask?: boolean; json?: boolean }) => withSession(o, async (session) => {
    const detail = await session.get<MessageDetail>(messagePath(id));
    const unmasked = o.unmask ? (await session.post<{ xml: string }>(messagePath(id, 'unmask'))).xml : undefined;
    if (o.json) printJson(unmasked === undefined ? detail : { ...detail, xml: unmasked, masked: false });
    else printText(renderMessage(detail, terminalWidth(), unmasked));
  }));
}

function discardCommand(): Command {
  const command = new Command('discard')
    .description('take a failed message out of the failed list for good, saying why (operator)')
    .argument('<id>', 'message id')
    .requiredOption('--reason <text>', 'why, for the audit log');
  return withHubOptions(command).action((id: string, o: HubOptions & { reason: string }) => withSession(o, async (session) => {
    await session.post(messagePath(id, 'discard'), { reason: o.reason });
    printText(`discarded ${id}`);
  }));
}
