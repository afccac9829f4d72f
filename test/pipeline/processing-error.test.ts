import { RegisterError, type RegisterErrorCode } from '../../engine/register/register.js';
import { asProcessingError } from '../../engine/pipeline/processing-error.js';

describe('what retrying can help', () => {
  test.each<[RegisterErrorCode, string, boolean]>([
    ['INVALID_ACCESS_TIME', 'INVALID_CONTENT', true],
    ['CONTENDED', 'TRANSIENT', false],
  ])('a register %s is %s (permanent: %s)', (code, processing, permanent) => {
    expect(asProcessingError(new RegisterError(code, 'x'))).toMatchObject({ code: processing, permanent });
  });

  test('an unknown fault (Redis down, a bug) is transient', () => {
    expect(asProcessingError(new Error('ECONNREFUSED'))).toMatchObject({ code: 'TRANSIENT', permanent: false });
  });
});
