import { MeshError } from '../errors.js';

export type ApiVersion = 1 | 2;

const VND = /^application\/vnd\.mesh\.v(\d+)\+json$/;

/** v2 by `application/vnd.mesh.v2+json`; v1 otherwise. A malformed vnd.mesh type is a 400. */
export function apiVersion(accept: string | undefined): ApiVersion {
  for (const part of (accept ?? '').split(/[;,]/)) {
    const type = part.trim();
    if (!type.includes('vnd.mesh')) continue;
    const match = VND.exec(type);
    if (!match || (match[1] !== '1' && match[1] !== '2')) throw new MeshError('BAD_ACCEPT', `"${type}"`);
    return match[1] === '2' ? 2 : 1;
  }
  return 1;
}
