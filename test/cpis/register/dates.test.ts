import fc from 'fast-check';
import { addMonths, ageOn, isDate } from '../../../engine/cpis/register/dates.js';

test.each([
  ['2024-02-29', true], ['2023-02-29', false], ['2000-02-29', true], ['1900-02-29', false],
  ['2025-04-31', false], ['2025-00-10', false], ['2025-1-10', false], ['2025-01-10T00:00:00Z', false],
])('isDate(%p) is %p', (d, expected) => { expect(isDate(d)).toBe(expected); });

test.each([
  ['2025-01-31', 1, '2025-02-28'], ['2024-01-31', 1, '2024-02-29'], ['2024-02-29', 12, '2025-02-28'],
  ['2025-11-15', 3, '2026-02-15'], ['2025-06-15', 0, '2025-06-15'],
])('addMonths(%p, %p) is %p', (d, n, expected) => { expect(addMonths(d, n)).toBe(expected); });

test.each([
  ['2007-06-15', '2025-06-14', 17], ['2007-06-15', '2025-06-15', 18],
  ['2004-02-29', '2022-02-28', 17], ['2004-02-29', '2022-03-01', 18], ['2004-02-29', '2024-02-29', 20],
])('ageOn(%p, %p) is %p', (birth, on, expected) => { expect(ageOn(birth, on)).toBe(expected); });

const date = fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

test('adding months gives a calendar date, never earlier, in the right month', () => {
  fc.assert(fc.property(date, fc.nat(240), (d, n) => {
    const later = addMonths(d, n);
    const months = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7));
    return isDate(later) && later >= d && months(later) - months(d) === n;
  }));
});

test('age never falls as time passes and is whole years on each birthday', () => {
  fc.assert(fc.property(date, date, date, (birth, a, b) => {
    const [early, late] = a <= b ? [a, b] : [b, a];
    return ageOn(birth, early) <= ageOn(birth, late) && (birth.endsWith('02-29') || ageOn(birth, addMonths(birth, 12 * 18)) === 18);
  }));
});
