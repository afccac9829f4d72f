import { describe, expect, it } from '@jest/globals';
import { formatChunkRange, parseChunkRange, splitBody } from '../../adapters/mesh-client/chunks.js';

describe('splitBody', () => {
  it('cuts into pieces of at most chunkSize, in order', () => {
    const body = Buffer.from('abcdefghij');
    expect(splitBody(body, 4).map(String)).toEqual(['abcd', 'efgh', 'ij']);
    expect(splitBody(body, 5).map(String)).toEqual(['abcde', 'fghij']);
    expect(splitBody(body, 10).map(String)).toEqual(['abcdefghij']);
    expect(splitBody(body, 11).map(String)).toEqual(['abcdefghij']);
  });

  it('sends an empty body as one empty piece', () => {
    expect(splitBody(Buffer.alloc(0), 4)).toEqual([Buffer.alloc(0)]);
  });

  it('refuses a chunk size that is not a positive integer', () => {
    expect(() => splitBody(Buffer.from('x'), 0)).toThrow(RangeError);
    expect(() => splitBody(Buffer.from('x'), 1.5)).toThrow(RangeError);
  });
});

describe('chunk ranges', () => {
  it('round-trips n:N', () => {
    expect(formatChunkRange({ index: 2, total: 5 })).toBe('2:5');
    expect(parseChunkRange('2:5')).toEqual({ index: 2, total: 5 });
    expect(parseChunkRange(' 1 : 1 ')).toEqual({ index: 1, total: 1 });
  });

  it('rejects what is not a valid range', () => {
    for (const bad of [null, undefined, '', '0:3', '4:3', '1-3', '1:', 'a:b']) expect(parseChunkRange(bad)).toBeUndefined();
  });
});
