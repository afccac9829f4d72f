import { createGunzip } from 'node:zlib';
import { MeshError } from '../errors.js';
import { header, type RequestHeaders } from '../headers.js';

/** `gzip` or '' (identity); any other content-encoding is refused. */
export function contentEncoding(headers: RequestHeaders): string {
  const value = (header(headers, 'content-encoding') ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return '';
  if (value === 'gzip') return 'gzip';
  throw new MeshError('ENCODING_UNSUPPORTED', `content-encoding "${value}"`);
}

/**
 * The request body as it will be stored: present, and when it says gzip, a whole
 * gzip stream (checked by inflating it and throwing the output away, so a large
 * chunk costs no memory beyond itself).
 */
export async function checkedBody(body: unknown, encoding: string): Promise<Buffer> {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new MeshError('DATA_MISSING', 'the request has no body');
  if (encoding === 'gzip') await assertGzip(body);
  return body;
}

function assertGzip(body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    gunzip.on('data', () => undefined);
    gunzip.on('end', resolve);
    gunzip.on('error', (err) => reject(new MeshError('NOT_GZIP', err.message)));
    gunzip.end(body);
  });
}
