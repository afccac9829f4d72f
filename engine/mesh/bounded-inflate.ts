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
 * The pieces of a byte stream, failing TOO_LARGE as soon as they pass `maxBytes`. The
 * consumer's loop then ends, which destroys (or cancels) the source: nothing more is
 * inflated or read, so a small input that expands hugely (a gzip bomb) costs at most the limit.
 */
export async function* bounded(source: AsyncIterable<Uint8Array>, maxBytes: number, where: string): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const piece of source) {
    size += piece.length;
    if (size > maxBytes) throw new SizeFault('TOO_LARGE', where, maxBytes);
    yield piece;
  }
}

/** A gzip stream inflated piece by piece, failing TOO_LARGE past `maxBytes` of output, or NOT_GZIP. */
export async function* inflating(gzip: Buffer, maxBytes: number, where: string): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  gunzip.end(gzip);
  try {
    yield* bounded(gunzip, maxBytes, where);
  } catch (err) {
    throw err instanceof SizeFault ? err : new SizeFault('NOT_GZIP', where, maxBytes, err);
  } finally {
    gunzip.destroy();
  }
}

/** A byte stream read whole, refused past `maxBytes`; with `keep` false only counted, a piece at a time. */
export async function readBounded(
  source: AsyncIterable<Uint8Array>, maxBytes: number, where: string, keep = true,
): Promise<{ size: number; bytes: Buffer }> {
  const pieces: Uint8Array[] = [];
  let size = 0;
  for await (const piece of bounded(source, maxBytes, where)) {
    size += piece.length;
    if (keep) pieces.push(piece);
  }
  return { size, bytes: Buffer.concat(pieces) };
}

/** A gzip stream inflated, refused past `maxBytes` of output. */
export async function inflateBounded(gzip: Buffer, maxBytes: number, where: string): Promise<Buffer> {
  return (await readBounded(inflating(gzip, maxBytes, where), maxBytes, where)).bytes;
}

/** The inflated size of a gzip stream, checked without holding the output; refused past `maxBytes`. */
export async function inflatedSize(gzip: Buffer, maxBytes: number, where: string): Promise<number> {
  return (await readBounded(inflating(gzip, maxBytes, where), maxBytes, where, false)).size;
}
