import type { MailboxEntry } from '../directory.js';
import { MeshError } from '../errors.js';
import { addressHeader, flagHeader, header, textHeader, type RequestHeaders } from '../headers.js';
import { parseChunkNumber, parseChunkRange } from '../chunk-range.js';
import { newMessageId } from '../../mailbox/message-id.js';
import type { ChunkResult, SendResult } from '../../mailbox/store.js';
import { checkedBody, contentEncoding } from './body.js';
import type { MeshContext } from './context.js';

export interface UploadRequest {
  headers: RequestHeaders;
  body: unknown;
}

/** POST /outbox: a whole message, or chunk 1 of a chunked one. */
export async function sendMessage(ctx: MeshContext, sender: MailboxEntry, req: UploadRequest): Promise<SendResult> {
  const h = req.headers;
  const to = addressHeader(h, 'mex-to');
  if (!to) throw new MeshError('MISSING_TO');
  const workflowId = addressHeader(h, 'mex-workflowid');
  if (!workflowId) throw new MeshError('MISSING_WORKFLOW');
  const { chunk, total } = parseChunkRange(header(h, 'mex-chunk-range'));
  if (chunk !== 1) throw new MeshError('BAD_CHUNK_RANGE', 'the first upload must be chunk 1');
  const encoding = contentEncoding(h);
  const { workflow } = ctx.directory.checkSend(sender.id, to.toUpperCase(), workflowId);
  const { body, size } = await checkedBody(req.body, encoding, workflow.maxMessageBytes, `a ${workflowId} message`);
  const result = await ctx.store.send(
    {
      id: newMessageId(),
      from: sender.id,
      to: to.toUpperCase(),
      workflowId,
      type: 'DATA',
      totalChunks: total,
      localId: textHeader(h, 'mex-localid'),
      subject: textHeader(h, 'mex-subject'),
      fileName: textHeader(h, 'mex-filename'),
      partnerId: textHeader(h, 'mex-partnerid'),
      contentType: textHeader(h, 'mex-content-type') ?? textHeader(h, 'content-type'),
      contentEncoding: encoding,
      checksum: textHeader(h, 'mex-content-checksum'),
      encrypted: flagHeader(h, 'mex-content-encrypted'),
      compressed: flagHeader(h, 'mex-content-compressed') || encoding === 'gzip',
    },
    body,
    { sendOnceWindowMs: workflow.idempotencyWindow, firstChunkSize: size },
  );
  ctx.log.info(result.duplicate ? 'send answered by an earlier message' : 'message accepted', {
    messageId: result.id, mailbox: sender.id, to: to.toUpperCase(), workflowId, chunks: total,
  });
  if (!result.duplicate && total === 1) ctx.onAccepted?.({ id: result.id, to: to.toUpperCase(), workflowId });
  return result;
}

/** POST /outbox/{id}/{n}: chunk n of a message this sender started. Every refusal names the message. */
export async function sendChunk(
  ctx: MeshContext, sender: MailboxEntry, id: string, chunkSegment: string, req: UploadRequest,
): Promise<ChunkResult> {
  try {
    return await storeChunk(ctx, sender, id, chunkSegment, req);
  } catch (err) {
    if (err instanceof MeshError && err.messageId === undefined) throw new MeshError(err.kind, err.detail, id);
    throw err;
  }
}

async function storeChunk(
  ctx: MeshContext, sender: MailboxEntry, id: string, chunkSegment: string, req: UploadRequest,
): Promise<ChunkResult> {
  const n = parseChunkNumber(chunkSegment);
  const rangeHeader = header(req.headers, 'mex-chunk-range');
  if (!rangeHeader) throw new MeshError('BAD_CHUNK_RANGE', 'mex-chunk-range is required for a chunk');
  const { total } = parseChunkRange(rangeHeader, n);
  const encoding = contentEncoding(req.headers);
  const started = await ctx.store.track(sender.id, id);
  if (!started) throw new MeshError('NOT_FOUND');
  // Each chunk is checked alone first (so inflation stops at the limit), then the store adds up the whole message.
  const maxBytes = ctx.directory.maxMessageBytes(started.workflowId);
  const { body, size } = await checkedBody(req.body, encoding, maxBytes, `chunk ${n} of a ${started.workflowId} message`);
  const result = await ctx.store.sendChunk(sender.id, id, n, total, encoding, body, { size, maxBytes });
  ctx.log.info(result === 'COMPLETE' ? 'chunked message complete' : 'chunk accepted', { messageId: id, mailbox: sender.id, chunk: n, chunks: total });
  if (result === 'COMPLETE' && ctx.onAccepted) {
    const message = await ctx.store.track(sender.id, id);
    if (message) ctx.onAccepted(message);
  }
  return result;
}
