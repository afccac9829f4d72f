import type { FastifyInstance } from 'fastify';
import { PROCESSING_ERRORS } from '../pipeline/processing-error.js';
import { AUDIT_ACTIONS } from './audit.js';
import type { ConsoleContext } from './context.js';
import { ConsoleError } from './errors.js';
import { guarded, type Guard, type Params } from './guarded.js';
import { summarise } from './message-view.js';
import { failures24h, mailboxDepths, perMinute, queueDepths } from './overview.js';
import { listQueries, searchesNhsNumber, searchGiven } from './query-listing.js';
import { auditQuery, failedFilter, inboxPage, parse, queriesFilter } from './requests.js';

/** What any signed-in staff member may read; NHS numbers and names come masked, and a search by NHS number is audited. */
export async function readRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const read = (url: string, run: Guard['run']) => app.get(url, guarded(ctx.gate, ctx.audit, { role: 'viewer', run }));
  const ops = ctx.operations;

  read('/overview', async () => ({
    body: {
      mailboxes: await mailboxDepths(ctx.store, ctx.directory),
      queues: ops ? await queueDepths(ops.queues) : [],
      perMinute: await perMinute(ctx.redis, Object.values(ops?.queues ?? {})),
      failures24h: ops ? await failures24h(ops.failed) : [],
    },
  }));

  // The words the filter fields take, so the pages offer them without keeping copies.
  read('/vocabulary', async () => ({
    body: {
      workflows: ctx.directory.workflowIds(),
      mailboxes: ctx.directory.allMailboxes().map((m) => m.id),
      reasons: Object.keys(PROCESSING_ERRORS),
      actions: AUDIT_ACTIONS,
    },
  }));

  read('/mailboxes', async () => ({ body: await mailboxDepths(ctx.store, ctx.directory) }));

  read('/mailboxes/:id', async (req) => {
    const id = (req.params as Params).id.toUpperCase();
    const depth = (await mailboxDepths(ctx.store, ctx.directory)).find((m) => m.id === id);
    if (!depth) throw new ConsoleError('NOT_FOUND', `no mailbox ${id}`);
    const { after, limit } = parse(inboxPage, req.query);
    const { ids, next } = await ctx.store.list(id, { after: after?.toUpperCase(), limit });
    const messages = (await Promise.all(ids.map((m) => ctx.store.get(id, m)))).flatMap((m) => (m
      ? [{ id: m.id, from: m.from, workflowId: m.workflowId, receivedAt: new Date(m.createdAt).toISOString(), size: m.size }]
      : []));
    return { body: { ...depth, messages, ...(next ? { next } : {}) } };
  });

  read('/messages/:id', async (req) => ({ body: await ctx.views.detail((req.params as Params).id.toUpperCase()) }));

  read('/audit', async (req) => ({ body: await ctx.audit.list(parse(auditQuery, req.query)) }));

  app.get('/queries', guarded(ctx.gate, ctx.audit, {
    role: 'viewer',
    audit: { action: 'queries-by-nhs-number', when: searchesNhsNumber, detail: searchGiven },
    run: async (req) => ({ body: await listQueries(ctx.queries, parse(queriesFilter, req.query)) }),
  }));

  if (!ops) return;

  read('/failed', async (req) => {
    const { total, items } = await ops.failed.search(parse(failedFilter, req.query));
    return { body: { total, items: items.map(summarise) } };
  });

  read('/operations/:id', async (req) => {
    const progress = await ops.bulk.progress((req.params as Params).id);
    if (!progress) throw new ConsoleError('NOT_FOUND', 'no such operation');
    return { body: progress };
  });
}
