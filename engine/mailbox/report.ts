import type { NewMessage, StoredMessage } from './message.js';

export interface ReportStatus {
  /** MESH error code: 14 undelivered, 15 bad CP-IS file. */
  code: string;
  event: string;
  description: string;
}

/**
 * A MESH REPORT to the sender of `original` (MESH.md "Lifecycle"): no body, the
 * status in headers, `mex-linkedmsgid` naming the message. Its id derives from the
 * original and the code, so writing it twice stores it once.
 */
export function reportFor(original: StoredMessage, status: ReportStatus): NewMessage {
  return {
    id: `${original.id}_R${status.code}`,
    from: '',
    to: original.from,
    workflowId: original.workflowId,
    type: 'REPORT',
    totalChunks: 1,
    localId: original.localId,
    subject: original.subject,
    statusCode: status.code,
    statusEvent: status.event,
    statusDescription: headerSafe(status.description),
    linkedMsgId: original.id,
    linkedTo: original.to,
  };
}

/** The description travels in a header: printable ASCII only. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').trim();
}
