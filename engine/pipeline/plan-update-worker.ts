import { buildPlanUpdateAck } from '../cpis/xml/plan-update-ack.js';
import { parsePlanUpdate } from '../cpis/xml/plan-update.js';
import { oneLine } from '../cpis/xml/result.js';
import type { FileStatus, PlanUpdateAck, RecordResult } from '../cpis/types.js';
import type { StoredMessage } from '../mailbox/message.js';
import { ProcessingError } from './processing-error.js';
import { sendReply } from './replies.js';
import type { MessageHandler } from './workers.js';
import { replyWorkflow, today, type WorkerContext } from './worker-context.js';

/**
 * An LA's plan update file: read it, apply its records to the register, and answer
 * with the acknowledgement (CPF02/03/04 and a CPR code per record). A file that
 * cannot be read gets CPF01 with sequence -1 and is held as failed.
 */
export function planUpdateHandler(ctx: WorkerContext): MessageHandler {
  return async (message, body) => {
    const parsed = parsePlanUpdate(body);
    if (!parsed.ok) {
      const reason = oneLine(parsed.error).slice(0, 4000);
      await acknowledge(ctx, message, { sequence: -1, status: 'CPF01', recordsProcessed: 0, reason, results: [] });
      throw new ProcessingError(parsed.error.code === 'SCHEMA_INVALID' ? 'SCHEMA_INVALID' : 'NOT_READABLE', reason, true);
    }
    const file = parsed.value;
    const la = ctx.directory.mailbox(message.from)?.organisation;
    if (!la || la.ods !== file.la.ods) {
      const reason = `the file names LA ${file.la.ods} but was sent from mailbox ${message.from}`;
      await acknowledge(ctx, message, { sequence: file.sequence, status: 'CPF04', recordsProcessed: 0, reason, results: [] });
      throw new ProcessingError('WRONG_SENDER', reason, true);
    }
    if (file.recordCount !== file.records.length) {
      const reason = `recordCount says ${file.recordCount} but the file holds ${file.records.length} records`;
      await acknowledge(ctx, message, { sequence: file.sequence, status: 'CPF01', recordsProcessed: 0, reason, results: [] });
      throw new ProcessingError('INVALID_CONTENT', reason, true);
    }
    const results = await ctx.register.applyPlanUpdate(la.ods, file, today());
    await acknowledge(ctx, message, { sequence: file.sequence, status: fileStatus(results), recordsProcessed: results.length, results });
  };
}

export function fileStatus(results: readonly RecordResult[]): FileStatus {
  const loaded = results.filter((r) => r.code === 'CPR06').length;
  if (loaded === results.length) return 'CPF02';
  return loaded === 0 ? 'CPF04' : 'CPF03';
}

async function acknowledge(ctx: WorkerContext, message: StoredMessage, ack: PlanUpdateAck): Promise<void> {
  await sendReply(ctx.store, {
    sourceId: message.id,
    suffix: 'ACK',
    from: ctx.settings.hubMailbox,
    to: message.from,
    workflowId: replyWorkflow(ctx, message.workflowId),
    xml: buildPlanUpdateAck(ack),
    localId: message.localId,
    fileName: `${message.localId ?? message.id}.ack.xml`,
  });
}
