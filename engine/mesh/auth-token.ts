import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The parts of an `Authorization: NHSMESH …` header (MESH.md, "Authentication"). */
export interface MeshToken {
  mailboxId: string;
  nonce: string;
  nonceCount: string;
  timestamp: string;
  hash: string;
}

export interface Credentials {
  mailboxId: string;
  password: string;
  sharedKey: string;
}

const SCHEME = 'NHSMESH ';
const TIMESTAMP = /^\d{12}$/;

/** UTC `yyyyMMddHHmm`, the token's timestamp format. */
export function meshTimestamp(at: Date = new Date()): string {
  return at.toISOString().replace(/[-T:]/g, '').slice(0, 12);
}

export function tokenHash(creds: Credentials, nonce: string, nonceCount: string, timestamp: string): string {
  const message = [creds.mailboxId, nonce, nonceCount, creds.password, timestamp].join(':');
  return createHmac('sha256', creds.sharedKey).update(message).digest('hex');
}

/** A fresh single-use Authorization header value for one request. */
export function makeAuthorization(
  creds: Credentials,
  opts: { nonce?: string; nonceCount?: number; at?: Date } = {},
): string {
  const nonce = opts.nonce ?? randomUUID();
  const count = String(opts.nonceCount ?? 1);
  const timestamp = meshTimestamp(opts.at);
  return `${SCHEME}${creds.mailboxId}:${nonce}:${count}:${timestamp}:${tokenHash(creds, nonce, count, timestamp)}`;
}

/** Splits the header; undefined when it is not an NHSMESH token of five non-empty parts. */
export function parseAuthorization(header: string | undefined): MeshToken | undefined {
  if (!header || !header.startsWith(SCHEME)) return undefined;
  const parts = header.slice(SCHEME.length).trim().split(':');
  if (parts.length !== 5 || parts.some((p) => p === '')) return undefined;
  const [mailboxId, nonce, nonceCount, timestamp, hash] = parts;
  if (!TIMESTAMP.test(timestamp) || !/^[0-9a-fA-F]{64}$/.test(hash)) return undefined;
  return { mailboxId, nonce, nonceCount, timestamp, hash: hash.toLowerCase() };
}

export function hashMatches(token: MeshToken, creds: Credentials): boolean {
  const expected = Buffer.from(tokenHash(creds, token.nonce, token.nonceCount, token.timestamp), 'hex');
  return timingSafeEqual(expected, Buffer.from(token.hash, 'hex'));
}

/** Parses a token timestamp as UTC; NaN when it is not a real date. */
export function timestampMillis(ts: string): number {
  const iso = `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(8, 10)}:${ts.slice(10, 12)}:00Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || meshTimestamp(new Date(ms)) !== ts ? NaN : ms;
}
