import type { MailboxEntry } from '../directory.js';
import { MeshError } from '../errors.js';
import type { StoredMessage } from '../../mailbox/message.js';
import type { MeshContext } from './context.js';

export interface Tracked {
  message: StoredMessage;
  sender?: MailboxEntry;
  recipient?: MailboxEntry;
}

/** GET /outbox/tracking?messageID= or /outbox/tracking/{localId}: a message the caller sent. */
export async function track(ctx: MeshContext, sender: MailboxEntry, by: { messageId?: string; localId?: string }): Promise<Tracked> {
  if (!by.messageId && !by.localId) throw new MeshError('BAD_REQUEST', 'messageID is required');
  const message = by.messageId
    ? await ctx.store.track(sender.id, by.messageId.toUpperCase())
    : await ctx.store.trackByLocalId(sender.id, by.localId!);
  if (!message) throw new MeshError('NOT_FOUND', undefined, by.messageId);
  return { message, sender: ctx.directory.mailbox(message.from), recipient: ctx.directory.mailbox(message.to) };
}
