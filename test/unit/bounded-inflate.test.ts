import { gzipSync } from 'node:zlib';
import { inflateBounded, inflatedSize, SizeFault } from '../../engine/mesh/bounded-inflate.js';
import { GIB, gzipBomb } from '../support/gzip-bomb.js';

async function fault(promise: Promise<unknown>): Promise<SizeFault> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SizeFault);
  return err as SizeFault;
}

const text = Buffer.from('<attendance/>'.repeat(1000));

test('gzip within the limit inflates to its content, and its size is counted', async () => {
  expect((await inflateBounded(gzipSync(text), text.length, 'a body')).equals(text)).toBe(true);
  expect(await inflatedSize(gzipSync(text), text.length, 'a body')).toBe(text.length);
});

test('one byte past the limit is TOO_LARGE, naming what was read and the limit', async () => {
  const err = await fault(inflateBounded(gzipSync(text), text.length - 1, 'chunk 2 of message M1'));
  expect({ code: err.code, where: err.where, limit: err.limit }).toEqual({ code: 'TOO_LARGE', where: 'chunk 2 of message M1', limit: text.length - 1 });
  expect(err.message).toBe(`chunk 2 of message M1 is over ${text.length - 1} bytes`);
});

test('bytes that are not gzip, or gzip cut short, are NOT_GZIP', async () => {
  expect((await fault(inflatedSize(text, 1e9, 'a body'))).code).toBe('NOT_GZIP');
  expect((await fault(inflateBounded(gzipSync(text).subarray(0, 30), 1e9, 'a body'))).code).toBe('NOT_GZIP');
});

test('a bomb that would inflate past 1 GiB is refused, having inflated little more than the limit', async () => {
  const bomb = gzipBomb(1.1 * GIB);
  const before = process.memoryUsage().rss;
  for (const inflate of [inflateBounded, inflatedSize]) {
    expect((await fault(inflate(bomb, 1024 * 1024, 'a bomb'))).code).toBe('TOO_LARGE');
  }
  expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
});
