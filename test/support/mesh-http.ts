import { request as httpRequest } from 'node:http';
import { makeAuthorization } from '../../engine/mesh/auth-token.js';

export const V2 = 'application/vnd.mesh.v2+json';

export interface MeshResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
  bytes: Buffer;
}

export interface MeshRequestOptions {
  mailbox?: string;
  password?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  authorization?: string | null;
}

/** Accept v2 and a fresh NHSMESH token unless the caller says otherwise (`authorization: null` sends none). */
function requestHeaders(options: MeshRequestOptions): Record<string, string> {
  const mailbox = options.mailbox ?? 'X26ABC1';
  const headers: Record<string, string> = { accept: V2, ...options.headers };
  const auth = options.authorization === undefined
    ? makeAuthorization({ mailboxId: mailbox, password: options.password ?? 'password', sharedKey: 'TestKey' })
    : options.authorization;
  if (auth !== null) headers.authorization = auth;
  return headers;
}

/**
 * A raw MESH request for tests that need to send exactly what a client (or an
 * attacker) would: a fresh NHSMESH token unless `authorization` is given.
 */
export async function meshRequest(baseUrl: string, method: string, path: string, options: MeshRequestOptions = {}): Promise<MeshResponse> {
  const res = await fetch(new URL(path, baseUrl), { method, headers: requestHeaders(options), body: options.body as BodyInit | undefined });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: res.status, headers: res.headers, text, bytes, json: () => JSON.parse(text) };
}

/** The same request through node:http, which (unlike fetch) leaves a gzip body as the server sent it. */
export function rawMeshRequest(
  baseUrl: string, method: string, path: string, options: MeshRequestOptions = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, baseUrl), { method, headers: requestHeaders(options) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
