import { inflatedSize, SizeFault } from '../bounded-inflate.js';
import { MeshError } from '../errors.js';
import { header, type RequestHeaders } from '../headers.js';

/** `gzip` or '' (identity); any other content-encoding is refused. */
export function contentEncoding(headers: RequestHeaders): string {
  const value = (header(headers, 'content-encoding') ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return '';
  if (value === 'gzip') return 'gzip';
  throw new MeshError('ENCODING_UNSUPPORTED', `content-encoding "${value}"`);
}

/** A request body as it will be stored, and its size once inflated (what size limits count). */
export interface CheckedBody {
  body: Buffer;
  size: number;
}

/**
 * The request body: present, at most `maxBytes` once inflated, and when it says gzip, a
 * whole gzip stream (checked by inflating it and throwing the output away, stopping at
 * the limit, so a gzip bomb costs no memory beyond the upload itself).
 */
export async function checkedBody(body: unknown, encoding: string, maxBytes: number, where: string): Promise<CheckedBody> {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new MeshError('DATA_MISSING', 'the request has no body');
  try {
    const size = encoding === 'gzip' ? await inflatedSize(body, maxBytes, where) : body.length;
    if (size > maxBytes) throw new SizeFault('TOO_LARGE', where, maxBytes);
    return { body, size };
  } catch (err) {
    if (err instanceof SizeFault) throw new MeshError(err.code, err.message);
    throw err;
  }
}
