import { MeshError } from './errors.js';

/** Request headers as Node gives them: lower-case names. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\x00-\x1f\x7f]/;
const URL_LIKE = /(^|[^a-z])(https?|ftp|file|javascript|data):|\/\//i;
const ADDRESS = /^[A-Za-z0-9_.-]{1,100}$/;

/** One header's value; a repeated header is malformed. */
export function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) throw new MeshError('MALFORMED_HEADERS', `${name} is given more than once`);
  return value;
}

/** A header that names a mailbox or a workflow: no control characters, no URLs, plain id characters. */
export function addressHeader(headers: RequestHeaders, name: string): string | undefined {
  const value = header(headers, name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (CONTROL.test(value) || URL_LIKE.test(value) || !ADDRESS.test(value)) {
    throw new MeshError('MALFORMED_HEADERS', `${name} is not a plain identifier`);
  }
  return value;
}

/** Free-text metadata (subject, local id, file name): no control characters, bounded length. */
export function textHeader(headers: RequestHeaders, name: string, maxLength = 500): string | undefined {
  const value = header(headers, name);
  if (value === undefined || value === '') return undefined;
  if (CONTROL.test(value) || value.length > maxLength) {
    throw new MeshError('MALFORMED_HEADERS', `${name} has control characters or is over ${maxLength} characters`);
  }
  return value;
}

/** Python and Java clients send booleans as Y/N, others as true/false. */
export function flagHeader(headers: RequestHeaders, name: string): boolean {
  return /^(y|yes|true|1)$/i.test(header(headers, name)?.trim() ?? '');
}
