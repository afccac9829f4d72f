import { makeAuthorization } from '../../engine/mesh/auth-token.js';

export const V2 = 'application/vnd.mesh.v2+json';

export interface MeshResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
  bytes: Buffer;
}

/**
 * A raw MESH request for tests that need to send exactly what a client (or an
 * attacker) would: a fresh NHSMESH token unless `authorization` is given.
 */
export async function meshRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { mailbox?: string; password?: string; headers?: Record<string, string>; body?: Buffer | string; authorization?: string | null } = {},
): Promise<MeshResponse> {
  const mailbox = options.mailbox ?? 'X26ABC1';
  const headers: Record<string, string> = { accept: V2, ...options.headers };
  const auth = options.authorization === undefined
    ? makeAuthorization({ mailboxId: mailbox, password: options.password ?? 'password', sharedKey: 'TestKey' })
    : options.authorization;
  if (auth !== null) headers.authorization = auth;
  const res = await fetch(new URL(path, baseUrl), { method, headers, body: options.body as BodyInit | undefined });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: res.status, headers: res.headers, text, bytes, json: () => JSON.parse(text) };
}
