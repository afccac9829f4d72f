import type { StoredMessage } from '../mailbox/message.js';
import { sendReply } from './replies.js';
import { replyWorkflow, type WorkerContext } from './worker-context.js';

/** Answers an LA's upload, in whichever dialect the file came in, once per upload message. */
export async function answerUpload(ctx: WorkerContext, upload: StoredMessage, xml: string): Promise<void> {
  await sendReply(ctx.store, {
    sourceId: upload.id,
    suffix: 'ACK',
    from: ctx.settings.hubMailbox,
    to: upload.from,
    workflowId: replyWorkflow(ctx, upload.workflowId),
    xml,
    localId: upload.localId,
    fileName: `${upload.localId ?? upload.id}.ack.xml`,
  });
}
