/**
 * Failures as OperationOutcomes (../shared/reference/cpis-fhir/README.md §5). Each failure has one
 * HTTP status and, where NHS England's Spine list has a fitting code, that code in `details`.
 * The IG's table gives the first three; the rest are what an HTTP surface needs beyond it.
 */
import type * as fhir4 from 'fhir/r4.js';
import { SYSTEM } from './vocabulary.js';

/** The England-SpineErrorOrWarningCode codes this API sends, each with its display. */
const SPINE_DISPLAY = {
  INVALID_SEARCH_DATA: 'Invalid search data',
  PRECONDITION_FAILED: 'Precondition failed',
  ACCESS_DENIED: 'Access has been denied to process this request',
  RESOURCE_NOT_FOUND: 'Resource not found',
  INVALID_METHOD: 'Invalid method',
  FAILURE_TO_PROCESS_MESSAGE: 'Failure to process message',
  UNABLE_TO_CALL_SERVICE: 'Unable to call service',
} as const;

export type SpineCode = keyof typeof SPINE_DISPLAY;

/** For clients reading an OperationOutcome: is this code one the API sends? */
export const isSpineCode = (code: unknown): code is SpineCode => typeof code === 'string' && Object.hasOwn(SPINE_DISPLAY, code);

/**
 * Every way a CP-IS FHIR request fails. Named by its Spine code, except those the list has no
 * code of their own for: NOT_AUTHENTICATED (401) is sent as ACCESS_DENIED with issue code
 * `login`, as NHS England's API platform does, so a 403 (`forbidden`) still means "this user may
 * not" and a 401 "sign in again"; TOO_MANY_REQUESTS (429), PAYLOAD_TOO_LARGE (413) and
 * UNSUPPORTED_MEDIA_TYPE (415) have their FHIR issue type and a text only, rather than a code
 * made up in NHS England's system.
 */
export type FhirIssueCode = SpineCode | 'NOT_AUTHENTICATED' | 'TOO_MANY_REQUESTS' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';

type IssueType = fhir4.OperationOutcomeIssue['code'];

const OUTCOME: Record<FhirIssueCode, { status: number; issue: IssueType; details: SpineCode | { text: string } }> = {
  INVALID_SEARCH_DATA: { status: 400, issue: 'invalid', details: 'INVALID_SEARCH_DATA' },
  PRECONDITION_FAILED: { status: 400, issue: 'invalid', details: 'PRECONDITION_FAILED' },
  NOT_AUTHENTICATED: { status: 401, issue: 'login', details: 'ACCESS_DENIED' },
  ACCESS_DENIED: { status: 403, issue: 'forbidden', details: 'ACCESS_DENIED' },
  RESOURCE_NOT_FOUND: { status: 404, issue: 'not-found', details: 'RESOURCE_NOT_FOUND' },
  INVALID_METHOD: { status: 405, issue: 'not-supported', details: 'INVALID_METHOD' },
  PAYLOAD_TOO_LARGE: { status: 413, issue: 'too-long', details: { text: 'Payload too large' } },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, issue: 'not-supported', details: { text: 'Unsupported media type' } },
  TOO_MANY_REQUESTS: { status: 429, issue: 'throttled', details: { text: 'Too many requests' } },
  FAILURE_TO_PROCESS_MESSAGE: { status: 500, issue: 'exception', details: 'FAILURE_TO_PROCESS_MESSAGE' },
  UNABLE_TO_CALL_SERVICE: { status: 503, issue: 'transient', details: 'UNABLE_TO_CALL_SERVICE' },
};

/** A failure the HTTP surface can send as it is; `diagnostics` must name no patient (it goes to the caller). */
export interface FhirRefusal {
  ok: false;
  code: FhirIssueCode;
  diagnostics: string;
}

/**
 * The failure for an HTTP status the framework refused a request with before any route saw it
 * (a body too large or of a type it cannot read, a malformed URL); any other 4xx is a request
 * that could not be read.
 */
export function frameworkRefusal(status: number): FhirIssueCode {
  return FRAMEWORK[status] ?? 'INVALID_SEARCH_DATA';
}

const FRAMEWORK: Partial<Record<number, FhirIssueCode>> = {
  404: 'RESOURCE_NOT_FOUND', 405: 'INVALID_METHOD', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE',
};

export function operationOutcome(code: FhirIssueCode, diagnostics: string): { status: number; body: fhir4.OperationOutcome } {
  const { status, issue, details } = OUTCOME[code];
  return {
    status,
    body: {
      resourceType: 'OperationOutcome',
      issue: [{
        severity: 'error',
        code: issue,
        details: typeof details === 'string' ? { coding: [{ system: SYSTEM.spineError, code: details, display: SPINE_DISPLAY[details] }] } : details,
        diagnostics,
      }],
    },
  };
}
