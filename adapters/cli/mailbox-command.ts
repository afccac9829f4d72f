import { Command } from 'commander';
import type { MailboxDepth } from '../../engine/console/overview.js';
import { withHubOptions, withSession, type HubOptions } from './console-session.js';
import { age, when } from './formats.js';
import { printJson, printText, terminalWidth } from './output.js';
import { fields, table } from './table.js';

interface MailboxDetail extends MailboxDepth {
  messages: { id: string; from: string; workflowId: string; receivedAt: string; size: number }[];
  next?: string;
}

type JsonOption = HubOptions & { json?: boolean };

/** `cpisx mailbox list|show`: how much waits in each mailbox, and for how long. */
export function mailboxCommand(): Command {
  const list = withHubOptions(new Command('list').description('every mailbox: messages waiting and the oldest one\'s age').option('--json', 'print the API\'s JSON'))
    .action((o: JsonOption) => withSession(o, async (session) => {
      const boxes = await session.get<MailboxDepth[]>('/mailboxes');
      if (o.json) printJson(boxes);
      else printText(renderMailboxes(boxes, terminalWidth()));
    }));
  const show = withHubOptions(new Command('show').description('one mailbox and the messages waiting in it, oldest first').argument('<id>', 'mailbox id')
    .option('--limit <n>', 'how many (default 100, at most 500)').option('--after <id>', 'the page after this message id, as the previous page printed it')
    .option('--json', 'print the API\'s JSON'))
    .action((id: string, o: JsonOption & { limit?: string; after?: string }) => withSession(o, async (session) => {
      const box = await session.get<MailboxDetail>(`/mailboxes/${encodeURIComponent(id)}`, { limit: o.limit, after: o.after });
      if (o.json) printJson(box);
      else printText(renderMailbox(box, terminalWidth()));
    }));
  return new Command('mailbox').description('mailboxes and what waits in them').addCommand(list).addCommand(show);
}

export function renderMailboxes(boxes: MailboxDepth[], width: number): string {
  return table([
    { header: 'MAILBOX', value: (b) => b.id },
    { header: 'ORGANISATION', value: (b) => b.organisation, shrink: true },
    { header: 'WAITING', value: (b) => b.depth, align: 'right' },
    { header: 'OLDEST', value: (b) => age(b.oldestAgeSeconds), align: 'right' },
  ], boxes, width);
}

export function renderMailbox(box: MailboxDetail, width: number): string {
  const head = fields([['Mailbox', box.id], ['Organisation', box.organisation], ['Waiting', box.depth], ['Oldest', age(box.oldestAgeSeconds)]]);
  if (box.messages.length === 0) return `${head}\n\nno messages waiting`;
  const messages = table([
    { header: 'MESSAGE ID', value: (m) => m.id },
    { header: 'FROM', value: (m) => m.from },
    { header: 'WORKFLOW', value: (m) => m.workflowId, shrink: true },
    { header: 'RECEIVED', value: (m) => when(m.receivedAt) },
    { header: 'BYTES', value: (m) => m.size, align: 'right' },
  ], box.messages, width);
  return `${head}\n\n${messages}${box.next ? `\nmore: --after ${box.next}` : ''}`;
}
