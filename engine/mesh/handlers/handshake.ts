import type { MailboxEntry } from '../directory.js';
import { header, type RequestHeaders } from '../headers.js';
import type { MeshContext } from './context.js';

/** POST (or GET) /messageexchange/{mb}: records that the mailbox's client is alive. */
export async function handshake(ctx: MeshContext, mailbox: MailboxEntry, headers: RequestHeaders): Promise<void> {
  const clip = (name: string) => header(headers, name)?.slice(0, 200);
  await ctx.store.recordHandshake(mailbox.id, {
    clientVersion: clip('mex-clientversion'),
    osName: clip('mex-osname'),
    osVersion: clip('mex-osversion'),
    userAgent: clip('user-agent'),
  });
  ctx.log.info('handshake', { mailbox: mailbox.id });
}
