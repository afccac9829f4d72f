/**
 * Every failure an adapter reports is an AdapterError value: sources write it beside a
 * rejected file or into a dead-lettered message, sinks throw it, logs carry only `code`.
 * `permanent` decides what happens next: a permanent fault is set aside for people
 * (rejected/, dead letter), anything else is retried with backoff.
 */
export type AdapterErrorCode =
  // the document itself
  | 'EMPTY'
  | 'TOO_LARGE'
  | 'DOCTYPE'
  | 'NOT_WELL_FORMED'
  | 'WRONG_DOCUMENT'
  | 'SCHEMA_INVALID'
  | 'HL7_UNREADABLE'
  | 'HL7_MISSING_FIELD'
  // the hub
  | 'HUB_REJECTED'
  | 'HUB_UNAVAILABLE'
  // the hub took a message, then sent a MESH REPORT on it (not accepted, not collected)
  | 'HUB_REPORT'
  // where a received message is delivered
  | 'SINK_FAILED'
  | 'SINK_UNROUTABLE'
  | 'SINK_TIMEOUT'
  // the adapter's own source or configuration
  | 'SOURCE_UNAVAILABLE';

export interface AdapterError {
  code: AdapterErrorCode;
  /** One line for people: what was wrong and where. Never patient data. */
  message: string;
  /** Further lines, e.g. each schema problem with its line number. */
  details?: string[];
  permanent: boolean;
}

export function adapterError(
  code: AdapterErrorCode,
  message: string,
  options: { details?: string[]; permanent?: boolean } = {},
): AdapterError {
  return { code, message, details: options.details, permanent: options.permanent ?? PERMANENT.has(code) };
}

const PERMANENT = new Set<AdapterErrorCode>([
  'EMPTY',
  'TOO_LARGE',
  'DOCTYPE',
  'NOT_WELL_FORMED',
  'WRONG_DOCUMENT',
  'SCHEMA_INVALID',
  'HL7_UNREADABLE',
  'HL7_MISSING_FIELD',
  'HUB_REJECTED',
  'HUB_REPORT',
]);

/** Thrown by sinks so that `await sink.deliver()` reads naturally; carries the value. */
export class AdapterFailure extends Error {
  constructor(readonly error: AdapterError) {
    super(error.message);
    this.name = 'AdapterFailure';
  }
}

/** The text written to a `.error.txt` or a dead letter's header: code, message, details. */
export function describeError(error: AdapterError): string {
  return [`${error.code}: ${error.message}`, ...(error.details ?? [])].join('\n') + '\n';
}
