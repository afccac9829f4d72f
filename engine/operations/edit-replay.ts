import type { Redis } from 'ioredis';
import type { CpisSettings } from '../config/schema.js';
import { checkInbound, type InboundFlow } from '../cpis/accepted-documents.js';
import type { Logger } from '../log.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Arrivals } from '../pipeline/arrivals.js';
import { OperationError, type FailedMessages } from './failed-messages.js';

export interface EditLinks {
  /** On an edited copy: the message it was made from. */
  editedFrom?: string;
  /** On an original: the copy made from it. */
  editedCopy?: string;
}

export interface EditReplayDeps {
  redis: Redis;
  prefix: string;
  failed: FailedMessages;
  store: MailboxStore;
  arrivals: Arrivals;
  settings: CpisSettings;
  log: Logger;
}

/** The copy's id derives from the original's, so doing it twice (a crash, a double click) stores one copy. */
export const editedId = (originalId: string) => `${originalId}_EDIT`;

/**
 * A failed message corrected by staff: the edit must pass its workflow's schema (for a
 * plan update, the native or the national one, by what the edit is); it
 * goes into the hub's inbox as a new message from the same sender (replies then
 * reach that sender as for the original), linked both ways. The original leaves the
 * failed list and the inbox, and stays readable.
 */
export class EditReplay {
  constructor(private readonly deps: EditReplayDeps) {}

  private key(kind: 'copy' | 'from', id: string): string {
    return `${this.deps.prefix}{ops}:edited-${kind}:${id}`;
  }

  async edit(originalId: string, xml: string): Promise<{ messageId: string; editedFrom: string }> {
    const { store, settings, failed, arrivals } = this.deps;
    await failed.show(originalId);
    const original = (await store.get(settings.hubMailbox, originalId))!;
    const checked = checkInbound(this.flow(original.workflowId, originalId), xml);
    if (!checked.ok) throw new OperationError('SCHEMA_INVALID', originalId, [checked.error.message, ...checked.error.details]);
    const messageId = editedId(originalId);
    await store.send({
      id: messageId, from: original.from, to: settings.hubMailbox, workflowId: original.workflowId, type: 'DATA', totalChunks: 1,
      localId: original.localId, subject: original.subject, fileName: original.fileName, contentType: 'application/xml', linkedMsgId: originalId,
    }, Buffer.from(xml, 'utf8'), { sendOnceWindowMs: 0 });
    await this.deps.redis.multi().set(this.key('copy', originalId), messageId).set(this.key('from', messageId), originalId).exec();
    await arrivals.enqueue(messageId, original.workflowId);
    await failed.release(originalId);
    this.deps.log.info('failed message edited and replayed', { messageId: originalId, copy: messageId, workflowId: original.workflowId });
    return { messageId, editedFrom: originalId };
  }

  async links(messageId: string): Promise<EditLinks> {
    const [editedFrom, editedCopy] = await this.deps.redis.mget(this.key('from', messageId), this.key('copy', messageId));
    return { ...(editedFrom ? { editedFrom } : {}), ...(editedCopy ? { editedCopy } : {}) };
  }

  /** The edit is checked as what it is among the documents its workflow takes (accepted-documents.ts). */
  private flow(workflowId: string, messageId: string): InboundFlow {
    const { workflows } = this.deps.settings;
    if (workflowId === workflows.planUpdate) return 'planUpdate';
    if (workflowId === workflows.attendance) return 'attendance';
    throw new OperationError('NOT_EDITABLE', messageId);
  }
}
