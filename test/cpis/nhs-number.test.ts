import fc from 'fast-check';
import { checkNhsNumber } from '../../engine/cpis/nhs-number.js';

/**
 * An oracle independent of the implementation's formula: with the check digit given
 * weight 1, a number is valid exactly when sum(digit_i * (11 - i)) over all ten digits
 * is 0 mod 11 (a would-be check digit of 10 can never be matched by a single digit).
 */
const weightedSumIsZero = (n: string) => [...n].reduce((s, d, i) => s + Number(d) * (10 - i), 0) % 11 === 0;

const digits = (length: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
const tenDigits = digits(10);
/** Every valid number: a nine-digit prefix and the one final digit the oracle accepts, if any. */
const validNumber = digits(9)
  .map((prefix) => [...'0123456789'].map((last) => prefix + last).find(weightedSumIsZero))
  .filter((n): n is string => n !== undefined);

const problem = (n: string) => { const c = checkNhsNumber(n); return c.valid ? undefined : c.problem; };

test.each(['9689177621', '9446245796', '9434765919'])('CPIS.md example %s is valid', (n) => {
  expect(checkNhsNumber(n)).toEqual({ valid: true });
});

test.each([
  ['968917762', 'NOT_10_DIGITS'],
  ['96891776210', 'NOT_10_DIGITS'],
  ['968 917 7621', 'NOT_10_DIGITS'],
  ['968917762a', 'NOT_10_DIGITS'],
  ['', 'NOT_10_DIGITS'],
  ['９６８９１７７６２１', 'NOT_10_DIGITS'],
  ['9689177622', 'CHECK_DIGIT_MISMATCH'],
  // Worked by hand: 1*10 = 10, 10 mod 11 = 10, check 11 - 10 = 1.
  ['1000000001', undefined],
  // 1*3 = 3, check 11 - 3 = 8.
  ['0000000108', undefined],
  ['0000000109', 'CHECK_DIGIT_MISMATCH'],
  // Remainder 0: check 11 means 0.
  ['0000000000', undefined],
  // 6*2 = 12, 12 mod 11 = 1, check 11 - 1 = 10: no last digit can make it valid.
  ['0000000060', 'CHECK_DIGIT_10'],
])('%p -> %p', (n, expected) => {
  expect(problem(n)).toBe(expected);
});

test('a reason is given and never contains the number', () => {
  for (const n of ['968917762', '9689177622', '0000000060']) {
    const c = checkNhsNumber(n);
    expect(c.valid).toBe(false);
    if (!c.valid) {
      expect(c.reason.length).toBeGreaterThan(0);
      expect(c.reason).not.toContain(n);
    }
  }
});

describe('properties', () => {
  test('the check agrees with the weighted-sum oracle on every ten-digit string', () => {
    fc.assert(fc.property(tenDigits, (n) => checkNhsNumber(n).valid === weightedSumIsZero(n)), { numRuns: 5000 });
  });

  test('every generated valid number passes', () => {
    fc.assert(fc.property(validNumber, (n) => checkNhsNumber(n).valid));
  });

  test('changing any single digit of a valid number makes it fail', () => {
    fc.assert(fc.property(validNumber, fc.nat(9), fc.integer({ min: 1, max: 9 }), (n, at, delta) => {
      const changed = n.slice(0, at) + String((Number(n[at]) + delta) % 10) + n.slice(at + 1);
      return !checkNhsNumber(changed).valid;
    }));
  });

  test('swapping any two different digits of a valid number makes it fail (not only neighbours)', () => {
    fc.assert(fc.property(validNumber, fc.nat(9), fc.nat(9), (n, i, j) => {
      fc.pre(n[i] !== n[j]);
      const d = [...n];
      [d[i], d[j]] = [d[j], d[i]];
      return !checkNhsNumber(d.join('')).valid;
    }));
  });

  test('a nine-digit prefix has exactly one valid last digit, or none and then every completion is CHECK_DIGIT_10', () => {
    fc.assert(fc.property(digits(9), (prefix) => {
      const problems = [...'0123456789'].map((last) => problem(prefix + last));
      const valid = problems.filter((p) => p === undefined).length;
      return valid === 1
        ? problems.every((p) => p === undefined || p === 'CHECK_DIGIT_MISMATCH')
        : valid === 0 && problems.every((p) => p === 'CHECK_DIGIT_10');
    }));
  });

  test('any string that is not exactly ten ASCII digits is NOT_10_DIGITS', () => {
    fc.assert(fc.property(fc.string({ maxLength: 14 }).filter((s) => !/^\d{10}$/.test(s)), (s) => problem(s) === 'NOT_10_DIGITS'));
  });
});
