/**
 * Every error the console API answers with: `{ code, message }` and this status. The
 * web pages and the CLI branch on `code`, never on the message.
 */
export const CONSOLE_ERRORS = {
  BAD_REQUEST: { status: 400, message: 'the request is not well formed' },
  CONFIRMATION_MISMATCH: { status: 400, message: 'the confirmation does not match the number of messages' },
  INVALID_NHS_NUMBER: { status: 400, message: 'an NHS number is not valid (10 digits passing Modulus 11)' },
  SAME_NHS_NUMBER: { status: 400, message: 'the old and new NHS numbers are the same' },
  BAD_CREDENTIALS: { status: 401, message: 'wrong username or password' },
  UNAUTHENTICATED: { status: 401, message: 'sign in first; the session is missing or has expired' },
  CSRF: { status: 403, message: 'the x-csrf-token header is missing or wrong' },
  FORBIDDEN: { status: 403, message: 'your role may not do this' },
  NOT_FOUND: { status: 404, message: 'no such message, operation, account or route' },
  NOT_FAILED: { status: 409, message: 'no failed message with this id' },
  NOT_EDITABLE: { status: 409, message: 'the hub has no schema for this message\'s workflow' },
  TOO_LARGE: { status: 413, message: 'the request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send the body as JSON (content-type: application/json)' },
  SCHEMA_INVALID: { status: 422, message: 'the edited message fails its schema' },
  LOCKED_OUT: { status: 429, message: 'too many failed sign-ins; try again later' },
  INTERNAL: { status: 500, message: 'the hub could not do this; see its log' },
  UNAVAILABLE: { status: 503, message: 'the hub cannot reach Redis just now (a failover or a restart); try again shortly' },
} as const;

export type ConsoleErrorCode = keyof typeof CONSOLE_ERRORS;

/** What an answer may say besides its code and message, for a client to act on without reading the message. */
export interface ErrorFacts {
  /** LOCKED_OUT: when the username may sign in again, ISO 8601 UTC. */
  lockedUntil?: string;
}

export class ConsoleError extends Error {
  readonly status: number;

  constructor(readonly code: ConsoleErrorCode, message?: string, readonly details?: string[], readonly facts: ErrorFacts = {}) {
    super(message ?? CONSOLE_ERRORS[code].message);
    this.status = CONSOLE_ERRORS[code].status;
  }

  toJSON(): { code: ConsoleErrorCode; message: string; details?: string[] } & ErrorFacts {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}), ...this.facts };
  }
}

/** Whole seconds, rounded up, so the time said is never before the lock ends. */
export function lockedOut(until: Date): ConsoleError {
  const lockedUntil = new Date(Math.ceil(until.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return new ConsoleError('LOCKED_OUT', `too many failed sign-ins; locked until ${lockedUntil}`, undefined, { lockedUntil });
}
