import type { MailboxEntry } from './directory.js';
import { MeshError } from './errors.js';
import { hashMatches, parseAuthorization, timestampMillis } from './auth-token.js';
import { header, type RequestHeaders } from './headers.js';
import type { MeshContext } from './handlers/context.js';

/**
 * Checks an NHSMESH token (MESH.md "Authentication"): known mailbox, right hash,
 * timestamp within the window, the path's mailbox is the token's, and the
 * nonce and count never seen before. Returns the caller's mailbox.
 */
export async function authenticate(
  ctx: MeshContext, headers: RequestHeaders, pathMailbox?: string, now = Date.now(),
): Promise<MailboxEntry> {
  const token = parseAuthorization(header(headers, 'authorization'));
  if (!token) throw new MeshError('AUTH_FAILED', 'missing or malformed NHSMESH authorization');
  const mailbox = ctx.directory.mailbox(token.mailboxId);
  if (!mailbox || !hashMatches(token, { mailboxId: mailbox.id, password: mailbox.password, sharedKey: ctx.sharedKey })) {
    throw new MeshError('AUTH_FAILED');
  }
  const at = timestampMillis(token.timestamp);
  if (Number.isNaN(at) || Math.abs(now - at) > ctx.authWindowMs) throw new MeshError('AUTH_STALE');
  if (pathMailbox !== undefined && pathMailbox !== mailbox.id) throw new MeshError('MAILBOX_MISMATCH');
  // A token is good for its window on either side of now, so remembering it that long twice over is enough.
  if (!(await ctx.store.useNonce(mailbox.id, token.nonce, token.nonceCount, 2 * ctx.authWindowMs + 60_000))) {
    throw new MeshError('AUTH_REPLAYED');
  }
  return mailbox;
}
