import { describe, expect, it } from '@jest/globals';
import { MeshClientError, errorFromResponse, parseErrorBody } from '../../adapters/mesh-client/errors.js';

describe('parseErrorBody', () => {
  it('reads the v2 shape', () => {
    const body = { message_id: 'M1', internal_id: 'I1', detail: [{ event: 'SEND', code: '12', msg: 'Unregistered to address' }] };
    expect(parseErrorBody(JSON.stringify(body))).toEqual({
      meshCode: '12', event: 'SEND', description: 'Unregistered to address', messageId: 'M1',
    });
  });

  it('reads the v1 shape', () => {
    const body = { messageID: 'M2', errorEvent: 'SEND', errorCode: '06', errorDescription: 'Malformed control file' };
    expect(parseErrorBody(JSON.stringify(body))).toEqual({
      meshCode: '06', event: 'SEND', description: 'Malformed control file', messageId: 'M2',
    });
  });

  it('reads a validation error, which has a message but no MESH code', () => {
    const body = { detail: [{ loc: ['query', 'max_results'], msg: 'ensure this value is at least 10', type: 'value_error' }] };
    expect(parseErrorBody(JSON.stringify(body))).toEqual({ description: 'ensure this value is at least 10' });
  });

  it('gives nothing for an empty body and the text for a non-JSON one', () => {
    expect(parseErrorBody('')).toEqual({});
    expect(parseErrorBody('  \n')).toEqual({});
    expect(parseErrorBody('<html>Bad Gateway</html>')).toEqual({ description: '<html>Bad Gateway</html>' });
    expect(parseErrorBody('x'.repeat(1000)).description).toHaveLength(300);
  });

  it('treats empty v1 fields as absent', () => {
    expect(parseErrorBody(JSON.stringify({ messageID: '', errorEvent: '', errorCode: '', errorDescription: '' }))).toEqual({});
  });
});

describe('errorFromResponse', () => {
  it('takes the MESH code as the code when the body has one', () => {
    const err = errorFromResponse(417, Buffer.from(JSON.stringify({ detail: [{ event: 'SEND', code: '12', msg: 'Unregistered' }] })));
    expect(err).toBeInstanceOf(MeshClientError);
    expect(err).toMatchObject({ code: '12', meshCode: '12', status: 417, event: 'SEND', description: 'Unregistered' });
  });

  it('falls back to HTTP_<status> for an empty 403', () => {
    const err = errorFromResponse(403, Buffer.alloc(0));
    expect(err).toMatchObject({ code: 'HTTP_403', status: 403, meshCode: undefined, description: undefined });
    expect(err.message).toContain('403');
  });

  it('keeps Retry-After raw for the retry policy', () => {
    expect(errorFromResponse(429, Buffer.alloc(0), '30')).toMatchObject({ code: 'HTTP_429', retryAfter: '30' });
  });

  it('adds the message id once known, keeping the rest', () => {
    const err = errorFromResponse(400, Buffer.alloc(0)).withMessageId('M3');
    expect(err).toMatchObject({ code: 'HTTP_400', status: 400, messageId: 'M3' });
    expect(err.message).toContain('M3');
  });
});
