import type { MailboxStore } from '../mailbox/store.js';

export interface Reply {
  /** The message this answers; the reply's id derives from it, so sending twice stores it once. */
  sourceId: string;
  /** Distinguishes several replies to one source, e.g. `FLAG`, `N706`. */
  suffix: string;
  from: string;
  to: string;
  workflowId: string;
  xml: string;
  localId?: string;
  fileName?: string;
  subject?: string;
  /** The NHS numbers it names, so staff find it by them. */
  nhsNumbers?: readonly string[];
}

export function replyId(sourceId: string, suffix: string): string {
  return `${sourceId}_${suffix}`;
}

/** Puts a reply in the recipient's inbox, at most once per (source, suffix). */
export async function sendReply(store: MailboxStore, reply: Reply): Promise<string> {
  const id = replyId(reply.sourceId, reply.suffix);
  await store.send(
    {
      id,
      from: reply.from,
      to: reply.to,
      workflowId: reply.workflowId,
      type: 'DATA',
      totalChunks: 1,
      localId: reply.localId,
      fileName: reply.fileName,
      subject: reply.subject,
      contentType: 'application/xml',
      linkedMsgId: reply.sourceId,
    },
    Buffer.from(reply.xml, 'utf8'),
    { sendOnceWindowMs: 0, nhsNumbers: reply.nhsNumbers },
  );
  return id;
}
