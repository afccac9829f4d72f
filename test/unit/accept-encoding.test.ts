import { acceptsGzip } from '../../engine/mesh/handlers/download.js';

test.each([
  ['gzip', true],
  ['GZIP', true],
  ['gzip, deflate, br', true],
  ['br;q=1.0, gzip;q=0.5', true],
  ['', false],
  ['identity', false],
  ['deflate, br', false],
  ['gzip;q=0', false],
  ['gzip; q=0.000', false],
  ['x-gzipped', false],
])('Accept-Encoding %p offers gzip: %p', (header, expected) => {
  expect(acceptsGzip(header)).toBe(expected);
});
