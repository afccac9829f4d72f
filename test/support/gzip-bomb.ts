import { gzipSync } from 'node:zlib';

const MIB = 1024 * 1024;

/**
 * A small gzip body that inflates to at least `inflatedBytes` of zeros: one member of
 * 16 MiB of zeros (about 16 KB), repeated, as gzip allows, so it is built without ever
 * holding the inflated bytes (about 1 MB per GB).
 */
export function gzipBomb(inflatedBytes: number): Buffer {
  const member = gzipSync(Buffer.alloc(16 * MIB), { level: 9 });
  return Buffer.concat(Array.from({ length: Math.ceil(inflatedBytes / (16 * MIB)) }, () => member));
}

export const GIB = 1024 * MIB;
