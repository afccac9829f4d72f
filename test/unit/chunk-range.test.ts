import { parseChunkNumber, parseChunkRange } from '../../engine/mesh/chunk-range.js';
import { MeshError } from '../../engine/mesh/errors.js';
import { caught } from '../support/caught.js';

function refusal(fn: () => unknown): MeshError {
  const err = caught(fn);
  expect(err).toBeInstanceOf(MeshError);
  return err as MeshError;
}

describe('parseChunkRange', () => {
  test('reads n:N, with spaces around the numbers', () => {
    expect(parseChunkRange('1:3')).toEqual({ chunk: 1, total: 3 });
    expect(parseChunkRange(' 2 : 3 ')).toEqual({ chunk: 2, total: 3 });
    expect(parseChunkRange('3:3', 3)).toEqual({ chunk: 3, total: 3 });
  });

  test('absent or blank is a whole message, but not on a chunk URL past chunk 1', () => {
    expect(parseChunkRange(undefined)).toEqual({ chunk: 1, total: 1 });
    expect(parseChunkRange('')).toEqual({ chunk: 1, total: 1 });
    expect(refusal(() => parseChunkRange(undefined, 2)).kind).toBe('BAD_CHUNK_RANGE');
  });

  test.each([
    ['chunk 0', '0:2'],
    ['total 0', '0:0'],
    ['chunk beyond the total', '3:2'],
    ['non-numeric', 'a:b'],
    ['one number', '2'],
    ['negative', '-1:2'],
    ['a fraction', '1.5:2'],
    ['three parts', '1:2:3'],
    ['too many digits', '1:1234567890'],
  ])('refuses %s (417, InvalidHeaderChunks)', (_what, header) => {
    const err = refusal(() => parseChunkRange(header));
    expect(err.kind).toBe('BAD_CHUNK_RANGE');
    expect(err.status).toBe(417);
  });

  test('refuses a header that names another chunk than the URL', () => {
    expect(refusal(() => parseChunkRange('2:3', 3)).kind).toBe('BAD_CHUNK_RANGE');
  });
});

describe('parseChunkNumber', () => {
  test('reads a positive integer', () => {
    expect(parseChunkNumber('1')).toBe(1);
    expect(parseChunkNumber('42')).toBe(42);
  });

  test.each(['0', '-1', 'x', '1.0', '', ' 2', '1e3'])('refuses %p', (segment) => {
    expect(refusal(() => parseChunkNumber(segment)).kind).toBe('BAD_CHUNK_RANGE');
  });
});
