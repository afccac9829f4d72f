import { createHash } from 'node:crypto';

/**
 * Local ids for documents taken from a source. Each is stable for the same input, so a
 * document sent again after a crash carries the same local id and the hub answers with the
 * first message id instead of storing a second message.
 */

/** MESH allows more, but local ids travel in logs and tracking queries: keep them plain and short. */
const MAX_LENGTH = 100;
const HASH_LENGTH = 24;
const UNSAFE = /[^A-Za-z0-9._-]/g;
const SAFE = /^[A-Za-z0-9._-]{1,100}$/;

function sha256(input: Buffer | string): string {
  return createHash('sha256').update(input).digest('hex');
}

/** A file's id: its name (made safe, shortened) and a hash of its content. */
export function fileLocalId(name: string, body: Buffer): string {
  const stem = name.replace(UNSAFE, '_').slice(0, MAX_LENGTH - HASH_LENGTH - 1);
  return `${stem}-${sha256(body).slice(0, HASH_LENGTH)}`;
}

/** A message's own id (AMQP messageId): kept when already plain and short, else hashed. */
export function messageLocalId(messageId: string): string {
  return SAFE.test(messageId) ? messageId : `id-${sha256(messageId).slice(0, HASH_LENGTH)}`;
}

/** For input that carries no id of its own. */
export function contentLocalId(body: Buffer): string {
  return `sha256-${sha256(body).slice(0, HASH_LENGTH)}`;
}
