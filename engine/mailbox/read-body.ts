import { inflateBounded, SizeFault } from '../mesh/bounded-inflate.js';
import type { StoredMessage } from './message.js';
import type { MailboxStore } from './store.js';

/**
 * A whole message's content, chunks joined and gzip undone (each chunk is its own
 * gzip stream, MESH.md "Size and chunking"). Undefined when content was deleted.
 * Past `maxBytes` in all (or not gzip after all) it is a SizeFault, having inflated no further.
 */
export async function readBody(
  store: MailboxStore, mailbox: string, message: StoredMessage, maxBytes: number,
): Promise<Buffer | SizeFault | undefined> {
  const numbers = Array.from({ length: message.totalChunks }, (_, i) => i + 1);
  const chunks = await Promise.all(numbers.map((n) => store.chunk(mailbox, message.id, n)));
  if (chunks.some((c) => c === undefined)) return undefined;
  const where = `message ${message.id}`;
  const plain: Buffer[] = [];
  let size = 0;
  try {
    for (const chunk of chunks as Buffer[]) {
      // Each chunk may inflate only to what the message has left, so the whole never passes the limit.
      const piece = message.contentEncoding === 'gzip' ? await inflateBounded(chunk, maxBytes - size, where) : chunk;
      size += piece.length;
      if (size > maxBytes) return new SizeFault('TOO_LARGE', where, maxBytes);
      plain.push(piece);
    }
  } catch (err) {
    if (!(err instanceof SizeFault)) throw err;
    return err.code === 'TOO_LARGE' ? new SizeFault('TOO_LARGE', where, maxBytes) : err;
  }
  return plain.length === 1 ? plain[0] : Buffer.concat(plain);
}
