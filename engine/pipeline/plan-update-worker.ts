import { takes } from '../cpis/accepted-documents.js';
import { recognise } from '../cpis/recognise.js';
import { buildPlanUpdateAck } from '../cpis/xml/plan-update-ack.js';
import { parsePlanUpdate } from '../cpis/xml/plan-update.js';
import type { FileStatus, PlanUpdateAck, RecordResult } from '../cpis/types.js';
import type { StoredMessage } from '../mailbox/message.js';
import { answerUnreadable, nationalUploadHandler } from './national-upload.js';
import { ProcessingError, unreadable } from './processing-error.js';
import { answerUpload } from './upload-answer.js';
import type { MessageHandler } from './workers.js';
import { indexPatients, today, type WorkerContext } from './worker-context.js';

/**
 * An LA's upload, in either dialect, recognised by its root element and namespace: a
 * national `File` goes to its own handler and is answered with a `FileResponse`; anything
 * a native `planUpdate` is our own file. A document of another kind is refused in the
 * dialect of the sending mailbox, saying what it was; one that cannot be read at all too.
 */
export function planUpdateHandler(ctx: WorkerContext): MessageHandler {
  const handlers = { native: nativeUploadHandler(ctx), dms: nationalUploadHandler(ctx) };
  return async (message, body) => {
    const kind = recognise(body);
    if (kind && takes('planUpdate', kind)) return handlers[kind.format](message, body);
    if (kind) return refuseDocument(ctx, message, `${kind.message} (${kind.format === 'dms' ? 'national' : 'native'} dialect)`);
    // Not XML we know: the sending mailbox's dialect says how to answer that it cannot be read.
    return handlers[ctx.directory.mailbox(message.from)?.format ?? 'native'](message, body);
  };
}

/** A document that is not an upload, on the upload workflow: CPF01 in the mailbox's own dialect. */
async function refuseDocument(ctx: WorkerContext, message: StoredMessage, what: string): Promise<never> {
  const reason = `a ${what} is not a plan update file: send a planUpdate or a national File`;
  if (ctx.directory.mailbox(message.from)?.format === 'dms') {
    await answerUnreadable(ctx, message);
  } else {
    await acknowledge(ctx, message, { sequence: -1, status: 'CPF01', recordsProcessed: 0, reason, results: [] });
  }
  throw new ProcessingError('NOT_READABLE', reason, true);
}

/**
 * Our own plan update file: read it, apply its records to the register, and answer
 * with the acknowledgement (CPF02/03/04 and a CPR code per record). A file that
 * cannot be read gets CPF01 with sequence -1 and is held as failed.
 */
function nativeUploadHandler(ctx: WorkerContext): MessageHandler {
  return async (message, body) => {
    const parsed = parsePlanUpdate(body);
    if (!parsed.ok) {
      const failure = unreadable(parsed.error, true);
      await acknowledge(ctx, message, { sequence: -1, status: 'CPF01', recordsProcessed: 0, reason: failure.detail, results: [] });
      throw failure;
    }
    const file = parsed.value;
    await indexPatients(ctx, message, file.records.map((r) => r.subject.nhsNumber));
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
  await answerUpload(ctx, message, buildPlanUpdateAck(ack));
}
