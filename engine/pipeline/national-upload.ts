import { buildFileResponse, UNREADABLE_FILE_ID } from '../cpis/dms/file-response.js';
import { answerRecords, checkFile, fileStatus, mapUpload, type DmsRecordOutcome } from '../cpis/dms/records.js';
import { parseDmsUpload, type DmsUpload } from '../cpis/dms/upload.js';
import type { FileStatus, LocalAuthority } from '../cpis/types.js';
import type { StoredMessage } from '../mailbox/message.js';
import { ProcessingError, unreadable } from './processing-error.js';
import { answerUpload } from './upload-answer.js';
import type { MessageHandler } from './workers.js';
import { indexPatients, today, type WorkerContext } from './worker-context.js';

/**
 * A national upload (`File`, DMS REPC_MT000002GB01) from an LA's existing CP-IS system: the
 * same register and rules as a native file, answered with a `FileResponse`. The file id keys
 * the upload (with a digest of its records) and is kept on each record it sets, for the
 * notifications' `referredToLAUploadFile`; the LA's WP/EC telecoms become its contact numbers.
 */
export function nationalUploadHandler(ctx: WorkerContext): MessageHandler {
  return async (message, body) => {
    // HL7 v3 takes about 2.7 times the bytes of our dialect per record: the workflow's configured
    // limit, not the codec's default, says how large a national file may be.
    const parsed = parseDmsUpload(body, { maxBytes: ctx.directory.maxMessageBytes(message.workflowId) });
    if (!parsed.ok) {
      await answerUnreadable(ctx, message);
      throw unreadable(parsed.error, true);
    }
    const upload = parsed.value;
    const la = ctx.directory.mailbox(message.from)?.organisation;
    const refused = checkFile(upload, la?.kind === 'la' ? la.ods : '');
    if (refused || !la) {
      const reason = refused?.reason ?? `mailbox ${message.from} belongs to no LA`;
      await respond(ctx, message, upload.fileId, refused?.status ?? 'CPF04', []);
      throw new ProcessingError(refused?.code === 'WRONG_COUNT' ? 'INVALID_CONTENT' : 'WRONG_SENDER', reason, true);
    }
    const mapped = mapUpload(upload);
    await indexPatients(ctx, message, mapped.plans.map((p) => p.record.subject.nhsNumber));
    const records = mapped.plans.map((p) => ({ ...p.record, uploadFile: upload.fileId }));
    const results = await ctx.register.applyPlanUpdate(la.ods, { sequence: upload.fileId, records }, today());
    await ctx.register.setContacts(la.ods, { officePhone: upload.sender.officePhone, emergencyPhone: upload.sender.emergencyPhone });
    const outcomes = answerRecords(upload, mapped, results);
    await respond(ctx, message, upload.fileId, fileStatus(outcomes), outcomes, upload);
  };
}

/** CPF01 for a file that could not be read as a national upload: the file id is -1. */
export function answerUnreadable(ctx: WorkerContext, message: StoredMessage): Promise<void> {
  return respond(ctx, message, UNREADABLE_FILE_ID, 'CPF01', []);
}

async function respond(
  ctx: WorkerContext, message: StoredMessage, fileId: string, status: FileStatus, outcomes: DmsRecordOutcome[], upload?: DmsUpload,
): Promise<void> {
  const created = new Date(message.acceptedAt ?? message.createdAt).toISOString();
  await answerUpload(ctx, message, buildFileResponse({ fileId, created, status, recipient: recipient(ctx, message, upload), outcomes }));
}

/** The LA answered, with the numbers it just sent, else those configured. */
function recipient(ctx: WorkerContext, message: StoredMessage, upload?: DmsUpload): LocalAuthority {
  const org = ctx.directory.mailbox(message.from)?.organisation;
  return {
    ods: org?.ods ?? upload?.sender.ods ?? message.from,
    name: org?.name ?? upload?.sender.name ?? message.from,
    officePhone: upload?.sender.officePhone ?? org?.phones.office,
    emergencyPhone: upload?.sender.emergencyPhone ?? org?.phones.emergency ?? '',
  };
}
