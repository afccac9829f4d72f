import type { FastifyReply } from 'fastify';
import { ConsoleError } from './errors.js';
import { asConsoleError } from './guarded.js';

/** Every console API answer's headers: JSON that nothing may sniff, run, frame or keep. */
export const API_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** JSON with `<`, `>` and `&` escaped inside strings, so no answer can be read as markup. */
export function toJson(payload: unknown): string {
  return JSON.stringify(payload).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Fastify's own refusals, said in fixed words: its messages quote the path or the body. */
const FRAMEWORK_REFUSALS: Record<string, () => ConsoleError> = {
  FST_ERR_BAD_URL: () => new ConsoleError('BAD_REQUEST', 'the URL is not well formed (a bad %-encoding)'),
  FST_ERR_MAX_PARAM_LENGTH: () => new ConsoleError('BAD_REQUEST', 'a part of the URL is too long'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new ConsoleError('TOO_LARGE'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new ConsoleError('UNSUPPORTED_MEDIA_TYPE'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new ConsoleError('BAD_REQUEST', 'the body does not match its content-length'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new ConsoleError('BAD_REQUEST', 'the body is not valid JSON'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new ConsoleError('BAD_REQUEST', 'the body is not valid JSON'),
};

/**
 * Anything that went wrong answering under /console, in the console's terms. Fastify's other
 * refusals (a JSON syntax error, which quotes the body) become a plain BAD_REQUEST; what is
 * not a refusal is INTERNAL, for the caller to log.
 */
export function consoleRefusal(err: unknown): ConsoleError {
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  const known = typeof code === 'string' && Object.hasOwn(FRAMEWORK_REFUSALS, code) ? FRAMEWORK_REFUSALS[code] : undefined;
  if (known) return known();
  if (err instanceof Error && !(err instanceof ConsoleError) && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new ConsoleError('BAD_REQUEST');
  }
  return asConsoleError(err);
}

export function sendConsoleError(reply: FastifyReply, error: ConsoleError): FastifyReply {
  return reply.code(error.status).headers(API_HEADERS).type('application/json; charset=utf-8').send(toJson(error.toJSON()));
}

/**
 * Whether a raw request URL is the console's (pages or API). Letters and digits written as
 * %-escapes are read first, as the router reads them.
 */
export function isConsolePath(url: string): boolean {
  const plain = url.replace(/%([0-9a-fA-F]{2})/g, (escape, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9._~-]/.test(c) ? c : escape;
  });
  return /^\/console(?:[/?#]|$)/.test(plain);
}
