/**
 * The outcome of reading a message: a value, or an error value saying what was wrong and where.
 * Callers branch on `ok` and `error.code`; nothing here is thrown.
 */
export type XmlErrorCode =
  | 'TOO_LARGE'
  | 'DOCTYPE'
  | 'NOT_WELL_FORMED'
  | 'WRONG_DOCUMENT'
  | 'SCHEMA_INVALID';

export interface XmlError {
  code: XmlErrorCode;
  /** What is wrong in a few words, without the details (so that message and details together say each problem once); logs use only `code`. */
  message: string;
  /** Each problem libxml2 reported, prefixed with its line (and column when known). */
  details: string[];
}

export type Failure = { ok: false; error: XmlError };
export type Result<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (code: XmlErrorCode, message: string, details: string[] = []): Failure => ({
  ok: false,
  error: { code, message, details },
});

/** The message and then each detail, on one line: for a place that holds a single text (a held message's reason, an HL7 ERR-8). */
export function oneLine(error: { message: string; details?: readonly string[] }): string {
  return error.details?.length ? `${error.message}: ${error.details.join('; ')}` : error.message;
}
