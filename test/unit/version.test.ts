import { apiVersion } from '../../engine/mesh/http/version.js';
import { MeshError } from '../../engine/mesh/errors.js';
import { caught } from '../support/caught.js';

test.each([
  [undefined, 1],
  ['', 1],
  ['*/*', 1],
  ['application/json', 1],
  ['application/vnd.mesh.v1+json', 1],
  ['application/vnd.mesh.v2+json', 2],
  ['application/vnd.mesh.v2+json; q=0.9', 2],
  ['application/json, application/vnd.mesh.v2+json', 2],
  ['text/html,application/vnd.mesh.v1+json;q=0.5', 1],
])('Accept %p selects v%p', (accept, version) => {
  expect(apiVersion(accept)).toBe(version);
});

test.each([
  'application/vnd.mesh.v3+json',
  'application/vnd.mesh.v0+json',
  'application/vnd.mesh.v2+xml',
  'application/vnd.mesh.v2',
  'application/vnd.mesh.vtwo+json',
  'application/vnd.mesh+json',
])('a malformed vnd.mesh Accept %p is a 400', (accept) => {
  const thrown = caught(() => apiVersion(accept));
  expect(thrown).toBeInstanceOf(MeshError);
  expect(thrown).toMatchObject({ kind: 'BAD_ACCEPT', status: 400 });
});
