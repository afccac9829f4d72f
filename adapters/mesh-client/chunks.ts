/**
 * MESH chunking: the uncompressed message is cut into ordered pieces, each one compressed
 * on its own, so the recipient can decode chunk by chunk and concatenate.
 */

/** Pieces of at most `chunkSize` bytes, views onto `body` (no copy); an empty body is one empty piece. */
export function splitBody(body: Buffer, chunkSize: number): Buffer[] {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  if (body.length === 0) return [body];
  const pieces: Buffer[] = [];
  for (let start = 0; start < body.length; start += chunkSize) pieces.push(body.subarray(start, start + chunkSize));
  return pieces;
}

export interface ChunkRange {
  index: number;
  total: number;
}

/** The `mex-chunk-range` value for piece `index` (1-based) of `total`. */
export function formatChunkRange(range: ChunkRange): string {
  return `${range.index}:${range.total}`;
}

/** Parses `n:N`; undefined when absent or not a valid 1 ≤ n ≤ N pair. */
export function parseChunkRange(value: string | null | undefined): ChunkRange | undefined {
  const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value ?? '');
  if (!match) return undefined;
  const index = Number(match[1]);
  const total = Number(match[2]);
  return index >= 1 && index <= total ? { index, total } : undefined;
}
