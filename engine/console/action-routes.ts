import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog } from './audit.js';
import type { ConsoleContext } from './context.js';
import { ConsoleError } from './errors.js';
import { guarded, type Guard, type Params } from './guarded.js';
import { maskNhsNumber } from './masking.js';
import { bulkReplay, discard, edit, parse, superseded } from './requests.js';
import { notifySuperseded, type SupersededSummary } from '../operations/superseded-nhs-number.js';

/** A plan update file can be 64 MiB of XML. */
const EDIT_BODY_LIMIT = 65 * 1024 * 1024;
const messageId = (req: FastifyRequest) => (req.params as Params).id.toUpperCase();

/** The changes staff make; every one, done or refused, is audited. */
export async function actionRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const action = (url: string, guard: Guard, bodyLimit?: number) =>
    app.post(url, { ...(bodyLimit ? { bodyLimit } : {}) }, guarded(ctx.gate, ctx.audit, guard));
  const ids = (req: FastifyRequest) => [messageId(req)];

  action('/messages/:id/unmask', {
    role: 'admin',
    audit: { action: 'unmask', messageIds: ids },
    run: async (req) => ({ body: { xml: await ctx.views.unmasked(messageId(req)) } }),
  });

  const ops = ctx.operations;
  if (!ops) return;

  action('/messages/:id/replay', {
    role: 'operator',
    audit: { action: 'replay', messageIds: ids },
    run: async (req) => {
      await ops.failed.replay(messageId(req));
      return { body: { messageId: messageId(req) } };
    },
  });

  action('/messages/:id/discard', {
    role: 'operator',
    audit: { action: 'discard', messageIds: ids, detail: reasonGiven },
    run: async (req) => {
      const { reason } = parse(discard, req.body);
      await ops.failed.discard(messageId(req));
      return { status: 204, detail: reason };
    },
  });

  action('/messages/:id/edit-replay', {
    role: 'admin',
    audit: { action: 'edit-replay', messageIds: ids },
    run: async (req) => {
      const edited = await ops.edits.edit(messageId(req), parse(edit, req.body).xml);
      return { body: edited, messageIds: [edited.editedFrom, edited.messageId], detail: `copy ${edited.messageId}` };
    },
  }, EDIT_BODY_LIMIT);

  action('/nhs-numbers/superseded', {
    role: 'admin',
    audit: { action: 'nhs-number-superseded', detail: numbersGiven },
    run: async (req) => {
      const numbers = parse(superseded, req.body);
      const outcome = await notifySuperseded(
        { register: ops.register, store: ctx.store, directory: ctx.directory, settings: ops.settings, log: ctx.log }, numbers.old, numbers.new,
      );
      if (!outcome.ok) throw new ConsoleError(outcome.error.code, outcome.error.message);
      const summary = outcome.value;
      return { body: summary, messageIds: summary.notified.map((n) => n.messageId), detail: `${numbersGiven(req)}: ${summaryText(summary)}` };
    },
  });

  action('/replay-bulk', {
    role: 'operator',
    audit: { action: 'replay-bulk' },
    run: async (req, caller) => {
      const { filter, confirm } = parse(bulkReplay, req.body);
      const matching = (await ops.failed.matching(filter)).map((m) => m.messageId);
      const expected = `REPLAY ${matching.length}`;
      if (confirm.trim() !== expected) throw new ConsoleError('CONFIRMATION_MISMATCH', `type "${expected}" to replay the ${matching.length} messages that match now`);
      const finished = bulkFinished(ctx.audit, { user: caller.account.username, ip: req.ip, messageIds: matching });
      const started = await ops.bulk.start(matching, finished);
      return { body: started, messageIds: matching, detail: `operation ${started.operationId}` };
    },
  });
}

/** The reason as sent, for the audit of a refused discard too. */
function reasonGiven(req: FastifyRequest): string | undefined {
  const reason = (req.body as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** The numbers as sent, masked as everywhere in the console, for the audit of a refusal too. */
function numbersGiven(req: FastifyRequest): string {
  const { old, new: replacement } = (req.body ?? {}) as { old?: unknown; new?: unknown };
  const masked = (n: unknown) => (typeof n === 'string' ? maskNhsNumber(n) : '(none)');
  return `${masked(old)} superseded by ${masked(replacement)}`;
}

function summaryText(summary: SupersededSummary): string {
  const notified = summary.notified.map((n) => `${n.la}${n.alreadySent ? ' (already sent)' : ''}`);
  const not = summary.notNotified.map((n) => `${n.la} (${n.reason})`);
  return `${summary.records} records; notified: ${notified.join(', ') || 'none'}${not.length ? `; not notified: ${not.join(', ')}` : ''}`;
}

/** The end of a bulk replay is audited too, with how many went back on the queue. */
function bulkFinished(audit: AuditLog, who: { user: string; ip: string; messageIds: string[] }) {
  return (operationId: string, progress: { done: number; failed: number }) => audit.append({
    at: new Date().toISOString(), ...who, action: 'replay-bulk-finished', outcome: 'ok',
    detail: `operation ${operationId}: ${progress.done} replayed, ${progress.failed} could not be`,
  });
}
