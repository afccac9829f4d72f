/**
 * NHS number check (CPIS.md "Rules", Modulus 11). Strict: exactly ten digits, no
 * spaces; display formatting is the caller's to strip. Reasons never echo the number.
 */
export type NhsNumberProblem = 'NOT_10_DIGITS' | 'CHECK_DIGIT_10' | 'CHECK_DIGIT_MISMATCH';

export type NhsNumberCheck =
  | { valid: true }
  | { valid: false; problem: NhsNumberProblem; reason: string };

const REASONS: Record<NhsNumberProblem, string> = {
  NOT_10_DIGITS: 'the NHS number is not 10 digits',
  CHECK_DIGIT_10: 'the NHS number cannot be valid: its Modulus 11 check digit would be 10',
  CHECK_DIGIT_MISMATCH: 'the NHS number fails the Modulus 11 check',
};

export function checkNhsNumber(value: string): NhsNumberCheck {
  if (!/^\d{10}$/.test(value)) return invalid('NOT_10_DIGITS');
  const check = checkDigit(value.slice(0, 9));
  if (check === undefined) return invalid('CHECK_DIGIT_10');
  return check === Number(value[9]) ? { valid: true } : invalid('CHECK_DIGIT_MISMATCH');
}

/** The Modulus 11 check digit of the first nine digits; undefined when it would be 10 (no valid number). */
export function checkDigit(nineDigits: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 10 ? undefined : check % 11;
}

function invalid(problem: NhsNumberProblem): NhsNumberCheck {
  return { valid: false, problem, reason: REASONS[problem] };
}
