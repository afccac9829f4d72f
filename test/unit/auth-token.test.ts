import { hashMatches, makeAuthorization, meshTimestamp, parseAuthorization, timestampMillis, tokenHash } from '../../engine/mesh/auth-token.js';

const creds = { mailboxId: 'X26ABC1', password: 'password', sharedKey: 'TestKey' };
const NONCE = '00000000-0000-0000-0000-000000000000';
const VECTOR = '959fb6b35a7facc411a4d4eb4c21f9578958e6477242ab7b33836779bc5e28f3';
const AT = new Date('2020-01-01T12:00:00Z');

describe('the NHSMESH hash', () => {
  test('matches the MESH.md test vector', () => {
    expect(tokenHash(creds, NONCE, '1', '202001011200')).toBe(VECTOR);
  });

  test('makeAuthorization builds the whole header around it', () => {
    expect(makeAuthorization(creds, { nonce: NONCE, nonceCount: 1, at: AT })).toBe(`NHSMESH X26ABC1:${NONCE}:1:202001011200:${VECTOR}`);
  });

  test('changes with every input', () => {
    expect(tokenHash({ ...creds, password: 'Password' }, NONCE, '1', '202001011200')).not.toBe(VECTOR);
    expect(tokenHash({ ...creds, sharedKey: 'OtherKey' }, NONCE, '1', '202001011200')).not.toBe(VECTOR);
    expect(tokenHash(creds, NONCE, '2', '202001011200')).not.toBe(VECTOR);
    expect(tokenHash(creds, NONCE, '1', '202001011201')).not.toBe(VECTOR);
  });

  test('hashMatches accepts the right credentials only, whatever the case of the hex', () => {
    const token = parseAuthorization(`NHSMESH X26ABC1:${NONCE}:1:202001011200:${VECTOR.toUpperCase()}`)!;
    expect(hashMatches(token, creds)).toBe(true);
    expect(hashMatches(token, { ...creds, password: 'wrong' })).toBe(false);
    expect(hashMatches(token, { ...creds, sharedKey: 'wrong' })).toBe(false);
  });
});

describe('parseAuthorization', () => {
  test('splits a good header into its parts', () => {
    expect(parseAuthorization(`NHSMESH X26ABC1:${NONCE}:1:202001011200:${VECTOR}`)).toEqual({
      mailboxId: 'X26ABC1', nonce: NONCE, nonceCount: '1', timestamp: '202001011200', hash: VECTOR,
    });
  });

  test.each([
    ['absent', undefined],
    ['empty', ''],
    ['another scheme', `Basic X26ABC1:${NONCE}:1:202001011200:${VECTOR}`],
    ['no space after the scheme', `NHSMESHX26ABC1:${NONCE}:1:202001011200:${VECTOR}`],
    ['lower-case scheme', `nhsmesh X26ABC1:${NONCE}:1:202001011200:${VECTOR}`],
    ['four parts', `NHSMESH X26ABC1:${NONCE}:1:${VECTOR}`],
    ['six parts', `NHSMESH X26ABC1:${NONCE}:1:202001011200:${VECTOR}:extra`],
    ['an empty part', `NHSMESH X26ABC1::1:202001011200:${VECTOR}`],
    ['a short timestamp', `NHSMESH X26ABC1:${NONCE}:1:2020010112:${VECTOR}`],
    ['a timestamp with letters', `NHSMESH X26ABC1:${NONCE}:1:2020O1011200:${VECTOR}`],
    ['a short hash', `NHSMESH X26ABC1:${NONCE}:1:202001011200:${VECTOR.slice(1)}`],
    ['a hash that is not hex', `NHSMESH X26ABC1:${NONCE}:1:202001011200:${'z'.repeat(64)}`],
    ['garbage', 'NHSMESH ::::'],
  ])('refuses %s', (_what, header) => {
    expect(parseAuthorization(header)).toBeUndefined();
  });
});

describe('token timestamps', () => {
  test('meshTimestamp is UTC yyyyMMddHHmm', () => {
    expect(meshTimestamp(new Date('2024-02-29T23:59:59.999Z'))).toBe('202402292359');
  });

  test('timestampMillis reads a real UTC minute', () => {
    expect(timestampMillis('202001011200')).toBe(AT.getTime());
    expect(timestampMillis('202402292359')).toBe(Date.UTC(2024, 1, 29, 23, 59));
  });

  test.each(['202013011200', '202002301200', '202302291200', '202001012400', '202001011260', '202000011200', '20200101120a'])(
    'timestampMillis gives NaN for %s, which is no real time',
    (ts) => {
      expect(timestampMillis(ts)).toBeNaN();
    },
  );
});
