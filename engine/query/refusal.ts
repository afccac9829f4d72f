/**
 * Why a query is refused before it is answered; the routes map each code to their dialect
 * (HTTP status and OperationOutcome, or the HL7 v3 reply).
 */
export type QueryRefusalCode = 'UNAUTHENTICATED' | 'ACCESS_DENIED' | 'RATE_LIMITED' | 'NO_STATED_USER';

/** `message` says what was wrong; it never repeats a secret, a token or a header's value. */
export interface QueryRefusal {
  refused: QueryRefusalCode;
  message: string;
  retryAfterSeconds?: number;
}

export function isRefusal(value: object): value is QueryRefusal {
  return 'refused' in value;
}
