import type { MailboxEntry } from '../directory.js';
import { MeshError } from '../errors.js';
import { parseWorkflowFilter } from '../workflow-filter.js';
import type { InboxLinks } from '../http/views.js';
import type { MeshContext } from './context.js';

export interface InboxQuery {
  max_results?: string;
  continue_from?: string;
  workflow_filter?: string;
}

export interface InboxListing {
  ids: string[];
  links: InboxLinks;
  count: number;
}

const DEFAULT_MAX = 500;

/** GET /inbox: ids in arrival order, a page at a time; `links.next` is relative, as clients expect. */
export async function listInbox(ctx: MeshContext, mailbox: MailboxEntry, query: InboxQuery): Promise<InboxListing> {
  const limit = maxResults(query.max_results);
  const filter = parseWorkflowFilter(query.workflow_filter);
  const [page, count] = await Promise.all([
    ctx.store.list(mailbox.id, { after: query.continue_from || undefined, limit, filter }),
    ctx.store.count(mailbox.id),
  ]);
  const base = `/messageexchange/${mailbox.id}/inbox`;
  const params = (extra: Record<string, string>) => {
    const search = new URLSearchParams({ max_results: String(limit), ...extra });
    if (query.workflow_filter) search.set('workflow_filter', query.workflow_filter);
    return `${base}?${search}`;
  };
  const links: InboxLinks = { self: params(query.continue_from ? { continue_from: query.continue_from } : {}) };
  if (page.next) links.next = params({ continue_from: page.next });
  return { ids: page.ids, links, count };
}

function maxResults(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_MAX;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10 || n > 5000) throw new MeshError('BAD_REQUEST', `max_results must be a whole number from 10 to 5000, not "${raw}"`);
  return n;
}

/** PUT /inbox/{id}/status/acknowledged. */
export async function acknowledge(ctx: MeshContext, mailbox: MailboxEntry, id: string): Promise<void> {
  const acknowledged = await ctx.store.acknowledge(mailbox.id, id);
  if (acknowledged) ctx.onAcknowledged?.({ id, mailbox: mailbox.id, workflowId: acknowledged.workflowId });
  ctx.log.info('message acknowledged', { messageId: id, mailbox: mailbox.id });
}
