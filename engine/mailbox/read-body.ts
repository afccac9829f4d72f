import { gunzipSync } from 'node:zlib';
import type { StoredMessage } from './message.js';
import type { MailboxStore } from './store.js';

/**
 * A whole message's content, chunks joined and gzip undone (each chunk is its own
 * gzip stream, MESH.md "Size and chunking"). Undefined when content was deleted.
 */
export async function readBody(store: MailboxStore, mailbox: string, message: StoredMessage): Promise<Buffer | undefined> {
  const numbers = Array.from({ length: message.totalChunks }, (_, i) => i + 1);
  const chunks = await Promise.all(numbers.map((n) => store.chunk(mailbox, message.id, n)));
  if (chunks.some((c) => c === undefined)) return undefined;
  const plain = message.contentEncoding === 'gzip' ? chunks.map((c) => gunzipSync(c!)) : (chunks as Buffer[]);
  return plain.length === 1 ? plain[0] : Buffer.concat(plain);
}
