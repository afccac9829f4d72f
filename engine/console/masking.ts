import { elementPattern, PATIENT_ELEMENTS, patientValuesIn } from '../operations/patient-fields.js';

/**
 * Hides NHS numbers and names from staff who may not see them. Three layers: the
 * patient elements' content; every other place those same values appear (an error
 * message that quotes a name); and any bare ten-digit run, since a broken message may
 * carry an NHS number where no element names it.
 */
const ELEMENTS = elementPattern(PATIENT_ELEMENTS);
const TEN_DIGITS = /(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)/g;
const HIDDEN = '***';

/** Keeps the last three digits, enough to match a caller's reference, too few to identify a child. */
export function maskNhsNumber(nhsNumber: string): string {
  const digits = nhsNumber.replace(/\D/g, '');
  return digits.length < 4 ? HIDDEN : `${'*'.repeat(digits.length - 3)}${digits.slice(-3)}`;
}

/** Masks the message text and anything said about it (attempt errors) with the values found in the message. */
export function masker(xml: string): (text: string) => string {
  const values = patientValuesIn(xml).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text
      .replace(ELEMENTS, (_m, open: string, value: string, close: string) => `${open}${maskValue(open, value)}${close}`)
      .replace(TEN_DIGITS, (digits) => maskNhsNumber(digits));
    for (const value of values) out = out.split(value).join(HIDDEN);
    return out;
  };
}

function maskValue(open: string, value: string): string {
  return /nhsNumber/.test(open) ? maskNhsNumber(value) : HIDDEN;
}

export function maskXml(xml: string): string {
  return masker(xml)(xml);
}
