import { Command } from 'commander';
import type { FoundMessage, SearchPage } from '../../engine/search/message-search.js';
import { withHubOptions, withSession, type HubOptions } from './console-session.js';
import { showCommand } from './failed-command.js';
import { when } from './formats.js';
import { printJson, printText, terminalWidth } from './output.js';
import { table } from './table.js';

interface SearchOptions extends HubOptions {
  messageId?: string;
  localId?: string;
  nhsNumber?: string;
  workflow?: string;
  from?: string;
  to?: string;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

const QUERY_FIELDS = ['messageId', 'localId', 'nhsNumber', 'workflow', 'from', 'to', 'since', 'until', 'limit', 'cursor'] as const;

/** `cpisx messages search`: delivered, acknowledged and waiting messages, through the hub's search index. */
export function messagesCommand(): Command {
  const search = new Command('search')
    .description('messages within content retention, newest first; a search by NHS number is audited')
    .option('--message-id <id>', 'exactly this message id')
    .option('--local-id <id>', 'the sender\'s local id')
    .option('--nhs-number <number>', 'an NHS number the message names (spaces and dashes allowed)')
    .option('--workflow <id>', 'workflow id')
    .option('--from <mailbox>', 'sending mailbox')
    .option('--to <mailbox>', 'receiving mailbox')
    .option('--since <time>', 'accepted at or after (ISO 8601)')
    .option('--until <time>', 'accepted at or before (ISO 8601)')
    .option('--limit <n>', 'how many (at most 200)')
    .option('--cursor <cursor>', 'the next page, as the previous page printed it')
    .option('--json', 'print the API\'s JSON');
  withHubOptions(search).action((o: SearchOptions) => withSession(o, async (session) => {
    const query = Object.fromEntries(QUERY_FIELDS.flatMap((k) => (o[k] === undefined ? [] : [[k, o[k]]])));
    const page = await session.get<SearchPage>('/messages', query);
    if (o.json) printJson(page);
    else printText(renderSearchPage(page, terminalWidth()));
  }));
  return new Command('messages').description('find messages, delivered or not').addCommand(search);
}

/** `cpisx message show <id>`: any message by id, masked, with its journey. */
export function messageCommand(): Command {
  return new Command('message').description('one message by id, delivered or not').addCommand(showCommand());
}

export function renderSearchPage(page: SearchPage, width: number): string {
  if (page.items.length === 0) return 'no messages match';
  const rows = table<FoundMessage>([
    { header: 'MESSAGE ID', value: (m) => m.id },
    { header: 'WORKFLOW', value: (m) => m.workflowId, shrink: true },
    { header: 'FROM', value: (m) => m.from },
    { header: 'TO', value: (m) => m.to },
    { header: 'LOCAL ID', value: (m) => m.localId, shrink: true },
    { header: 'STATUS', value: (m) => m.status },
    { header: 'ACCEPTED', value: (m) => when(m.acceptedAt) },
  ], page.items, width);
  return page.next ? `${rows}\nmore: --cursor ${page.next}` : rows;
}
