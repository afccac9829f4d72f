import { MeshError } from './errors.js';

export interface ChunkRange {
  chunk: number;
  total: number;
}

const RANGE = /^\s*(\d{1,9})\s*:\s*(\d{1,9})\s*$/;

/**
 * Reads `mex-chunk-range: n:N`. Absent means a whole message (1:1). The chunk must
 * be 1..N and, on a chunk URL, equal the number in the path.
 */
export function parseChunkRange(header: string | undefined, expectedChunk?: number): ChunkRange {
  if (header === undefined || header.trim() === '') {
    if (expectedChunk !== undefined && expectedChunk !== 1) throw new MeshError('BAD_CHUNK_RANGE', 'mex-chunk-range is required for a chunk');
    return { chunk: 1, total: 1 };
  }
  const match = RANGE.exec(header);
  if (!match) throw new MeshError('BAD_CHUNK_RANGE', `"${header}" is not n:N`);
  const chunk = Number(match[1]);
  const total = Number(match[2]);
  if (chunk < 1 || total < 1 || chunk > total) throw new MeshError('BAD_CHUNK_RANGE', `chunk ${chunk} is outside 1..${total}`);
  if (expectedChunk !== undefined && chunk !== expectedChunk) {
    throw new MeshError('BAD_CHUNK_RANGE', `header names chunk ${chunk} but the URL names chunk ${expectedChunk}`);
  }
  return { chunk, total };
}

/** A chunk number from a URL path segment: a positive integer, or undefined for anything else. */
export function chunkNumber(segment: string): number | undefined {
  return /^\d{1,9}$/.test(segment) && Number(segment) >= 1 ? Number(segment) : undefined;
}

/** The chunk number of an upload URL; anything but a positive integer is a bad chunk range. */
export function parseChunkNumber(segment: string): number {
  const n = chunkNumber(segment);
  if (n === undefined) throw new MeshError('BAD_CHUNK_RANGE', `chunk number "${segment}" is not a positive integer`);
  return n;
}
