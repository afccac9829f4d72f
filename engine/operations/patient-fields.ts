/**
 * Patient fields found in a message's text without parsing it: failed messages may be
 * broken XML, so a tolerant pattern reads `<nhsNumber>` (any namespace prefix, any
 * attributes, spaces around the value) wherever it stands.
 */
export const PATIENT_ELEMENTS = ['nhsNumber', 'familyName', 'givenName', 'birthDate'] as const;
export type PatientElement = (typeof PATIENT_ELEMENTS)[number];

/** Groups: 1 the opening tag, 2 the value, 3 the closing tag. */
export function elementPattern(names: readonly string[]): RegExp {
  const name = `(?:[A-Za-z_][\\w.-]*:)?(?:${names.join('|')})`;
  return new RegExp(`(<${name}(?:\\s[^>]*)?>)([^<]*)(</${name}\\s*>)`, 'g');
}

const NHS_ELEMENT = elementPattern(['nhsNumber']);

/** Each NHS number in the text, spaces taken out, in order of appearance without repeats. */
export function nhsNumbersIn(text: string): string[] {
  const found = [...text.matchAll(NHS_ELEMENT)].map((m) => m[2].replace(/\s+/g, ''));
  return [...new Set(found.filter((v) => v.length > 0))];
}

/** The values of every patient field in the text, for redacting them wherever else they appear. */
export function patientValuesIn(text: string): string[] {
  const values = [...text.matchAll(elementPattern(PATIENT_ELEMENTS))].map((m) => m[2].trim());
  return [...new Set(values.filter((v) => v.length > 1))];
}
