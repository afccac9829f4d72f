import { frameworkRefusal, operationOutcome, type FhirIssueCode } from '../../../engine/cpis/fhir/operation-outcome.js';
import { schemaErrors } from './samples.js';

const SPINE = 'https://fhir.nhs.uk/CodeSystem/England-SpineErrorOrWarningCode';

describe('operationOutcome', () => {
  test.each<[FhirIssueCode, number, string, string, string]>([
    ['INVALID_SEARCH_DATA', 400, 'invalid', 'INVALID_SEARCH_DATA', 'Invalid search data'],
    ['PRECONDITION_FAILED', 400, 'invalid', 'PRECONDITION_FAILED', 'Precondition failed'],
    ['NOT_AUTHENTICATED', 401, 'login', 'ACCESS_DENIED', 'Access has been denied to process this request'],
    ['ACCESS_DENIED', 403, 'forbidden', 'ACCESS_DENIED', 'Access has been denied to process this request'],
    ['RESOURCE_NOT_FOUND', 404, 'not-found', 'RESOURCE_NOT_FOUND', 'Resource not found'],
    ['INVALID_METHOD', 405, 'not-supported', 'INVALID_METHOD', 'Invalid method'],
    ['FAILURE_TO_PROCESS_MESSAGE', 500, 'exception', 'FAILURE_TO_PROCESS_MESSAGE', 'Failure to process message'],
    ['UNABLE_TO_CALL_SERVICE', 503, 'transient', 'UNABLE_TO_CALL_SERVICE', 'Unable to call service'],
  ])('%s: HTTP %i, issue %s, Spine code %s', (code, status, issue, spineCode, display) => {
    const outcome = operationOutcome(code, 'what went wrong');
    expect(outcome.status).toBe(status);
    expect(outcome.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{
        severity: 'error',
        code: issue,
        details: { coding: [{ system: SPINE, code: spineCode, display }] },
        diagnostics: 'what went wrong',
      }],
    });
    expect(schemaErrors(outcome.body)).toEqual([]);
  });

  test.each<[FhirIssueCode, number, string, string]>([
    ['TOO_MANY_REQUESTS', 429, 'throttled', 'Too many requests'],
    ['PAYLOAD_TOO_LARGE', 413, 'too-long', 'Payload too large'],
    ['UNSUPPORTED_MEDIA_TYPE', 415, 'not-supported', 'Unsupported media type'],
  ])('%s: HTTP %i, issue %s, a text and no code (the Spine list has none for it)', (code, status, issue, text) => {
    const outcome = operationOutcome(code, 'what went wrong');
    expect(outcome.status).toBe(status);
    expect(outcome.body.issue).toEqual([{ severity: 'error', code: issue, details: { text }, diagnostics: 'what went wrong' }]);
    expect(schemaErrors(outcome.body)).toEqual([]);
  });

  test('a status the framework refused with: its own failure where there is one, else unreadable (400)', () => {
    expect([404, 405, 413, 415, 400, 431].map((status) => operationOutcome(frameworkRefusal(status), '').status)).toEqual([404, 405, 413, 415, 400, 400]);
  });
});
