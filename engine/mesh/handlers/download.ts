import { Readable } from 'node:stream';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { inflating } from '../bounded-inflate.js';
import type { MailboxEntry } from '../directory.js';
import { MeshError } from '../errors.js';
import { chunkNumber } from '../chunk-range.js';
import type { StoredMessage } from '../../mailbox/message.js';
import { compact } from '../http/views.js';
import type { MeshContext } from './context.js';

const gzipAsync = promisify(gzip);

/** Plain content at least this large is gzipped for a client that accepts it. */
const COMPRESS_FROM_BYTES = 64 * 1024;

export interface Download {
  status: 200 | 206;
  headers: Record<string, string>;
  /** A stream when stored gzip is inflated for a client that does not take gzip. */
  body: Buffer | Readable;
}

/** GET or HEAD /inbox/{id}[/{n}]: a message, or one chunk of it, as its recipient sees it. */
export async function download(
  ctx: MeshContext, mailbox: MailboxEntry, id: string, chunkSegment: string | undefined,
  acceptEncoding: string, headOnly = false,
): Promise<Download> {
  // A chunk that cannot exist (0, "x", past the end) is simply not found: this is a read, not an upload.
  const n = chunkSegment === undefined ? 1 : chunkNumber(chunkSegment);
  // The record and the content are read together, in one round trip.
  const [message, stored] = await Promise.all([ctx.store.get(mailbox.id, id), headOnly || n === undefined ? undefined : ctx.store.chunk(mailbox.id, id, n)]);
  if (!message || message.status === 'uploading') throw new MeshError('NOT_FOUND', undefined, id);
  if (message.status !== 'accepted' && message.status !== 'acknowledged') throw new MeshError('GONE', undefined, id);
  if (n === undefined || n > message.totalChunks) throw new MeshError('NOT_FOUND', `no chunk ${chunkSegment} of ${message.totalChunks}`, id);
  const headers = messageHeaders(message, n);
  const status = n < message.totalChunks ? 206 : 200;
  if (headOnly || message.type === 'REPORT') return { status: headOnly ? 200 : status, headers, body: Buffer.alloc(0) };
  if (!stored) throw new MeshError('GONE', 'content deleted', id);
  const inflate = () => Readable.from(inflating(stored, ctx.directory.maxMessageBytes(message.workflowId), `message ${id} chunk ${n}`));
  const body = await negotiate(stored, message.contentEncoding === 'gzip' ? inflate : undefined, acceptsGzip(acceptEncoding), headers);
  if (n === message.totalChunks) ctx.log.info('message downloaded', { messageId: id, mailbox: mailbox.id, workflowId: message.workflowId });
  return { status, headers, body };
}

/** Accept-Encoding lists gzip without refusing it (`gzip;q=0` is a refusal, not an offer). */
export function acceptsGzip(acceptEncoding: string): boolean {
  return acceptEncoding.split(',').some((offer) => {
    const [coding, ...params] = offer.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return coding === 'gzip' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** `inflate` is given when the content is stored gzipped. */
async function negotiate(stored: Buffer, inflate: (() => Readable) | undefined, clientGzip: boolean, headers: Record<string, string>): Promise<Buffer | Readable> {
  if (inflate && clientGzip) return encoded(stored, headers);
  // Streamed, and cut off past the workflow's limit, so a small upload that inflates hugely never sits whole in memory.
  if (inflate) return inflate();
  if (clientGzip && stored.length >= COMPRESS_FROM_BYTES) return encoded(await gzipAsync(stored), headers);
  return stored;
}

function encoded(body: Buffer, headers: Record<string, string>): Buffer {
  headers['content-encoding'] = 'gzip';
  headers['mex-content-compressed'] = 'Y';
  return body;
}

/** The mex-* headers of a download or HEAD (MESH.md "Headers"). */
export function messageHeaders(m: StoredMessage, chunk: number): Record<string, string> {
  const report = m.type === 'REPORT';
  const headers: Record<string, string | undefined> = {
    'mex-from': m.from,
    'mex-to': report ? m.linkedTo : m.to,
    'mex-workflowid': m.workflowId,
    'mex-chunk-range': `${chunk}:${m.totalChunks}`,
    'mex-total-chunks': String(m.totalChunks),
    'mex-addresstype': 'ALL',
    'mex-localid': m.localId,
    'mex-partnerid': m.partnerId,
    'mex-filename': m.fileName ?? `${m.id}.dat`,
    'mex-subject': m.subject,
    'mex-content-type': m.contentType,
    'mex-content-encrypted': m.encrypted ? 'Y' : undefined,
    'mex-version': '1.0',
    'mex-messagetype': m.type,
    'mex-messageid': m.id,
    'mex-statuscode': report ? m.statusCode : '00',
    'mex-statusevent': report ? m.statusEvent : 'TRANSFER',
    'mex-statusdescription': report ? m.statusDescription : 'Transferred to recipient mailbox',
    'mex-statussuccess': report ? 'ERROR' : 'SUCCESS',
    'mex-statustimestamp': compact(m.acceptedAt ?? m.statusAt),
    'mex-linkedmsgid': m.linkedMsgId,
    'content-type': 'application/octet-stream',
  };
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => Boolean(e[1])));
}
