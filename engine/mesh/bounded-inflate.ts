import { createGunzip } from 'node:zlib';

/** TOO_LARGE: the bytes pass their limit; NOT_GZIP: they are not a whole gzip stream. */
export type SizeFaultCode = 'TOO_LARGE' | 'NOT_GZIP';

/** Bytes that could not be read within their limit, saying what was being read (`where`) and the limit. */
export class SizeFault extends Error {
  constructor(readonly code: SizeFaultCode, readonly where: string, readonly limit: number, cause?: unknown) {
    super(code === 'TOO_LARGE' ? `${where} is over ${limit} bytes` : `${where} is not valid gzip`, { cause });
    this.name = 'SizeFault';
  }
}

/**
 * Reads a byte stream to its end, stopping it as soon as it passes `maxBytes`, so a
 * small input that expands hugely (a gzip bomb) costs at most the limit in memory.
 * With `keep` false the bytes are only counted, so the cost is one piece at a time.
 */
export async function readBounded(
  source: AsyncIterable<Uint8Array>, maxBytes: number, where: string, keep = true,
): Promise<{ size: number; bytes: Buffer }> {
  const pieces: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early destroys (or cancels) the source: nothing more is inflated or read.
  for await (const piece of source) {
    size += piece.length;
    if (size > maxBytes) throw new SizeFault('TOO_LARGE', where, maxBytes);
    if (keep) pieces.push(piece);
  }
  return { size, bytes: Buffer.concat(pieces) };
}

/** A gzip stream inflated, refused past `maxBytes` of output. */
export async function inflateBounded(gzip: Buffer, maxBytes: number, where: string): Promise<Buffer> {
  return (await gunzipBounded(gzip, maxBytes, where, true)).bytes;
}

/** The inflated size of a gzip stream, checked without holding the output; refused past `maxBytes`. */
export async function inflatedSize(gzip: Buffer, maxBytes: number, where: string): Promise<number> {
  return (await gunzipBounded(gzip, maxBytes, where, false)).size;
}

async function gunzipBounded(gzip: Buffer, maxBytes: number, where: string, keep: boolean) {
  try {
    const gunzip = createGunzip();
    gunzip.end(gzip);
    return await readBounded(gunzip, maxBytes, where, keep);
  } catch (err) {
    if (err instanceof SizeFault) throw err;
    throw new SizeFault('NOT_GZIP', where, maxBytes, err);
  }
}
