import { resolveReferences } from '../cpis/xml/values.js';
import { patientDocument, type FreeText, type PatientField } from '../operations/patient-fields.js';

/**
 * Hides NHS numbers, names and birth dates from staff who may not see them. Three layers:
 * the patient fields of the parsed document (patient-fields.ts); every other place those
 * same values appear (a comment, an error message that quotes a name); and any bare
 * ten-digit run, since a message may carry an NHS number where no element names it.
 * A document that cannot be read is not shown at all.
 */
const TEN_DIGITS = /(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)/g;
const HIDDEN = '***';
export const UNREADABLE = '*** not shown: the message cannot be read as XML, so nothing in it can be masked ***';

export interface Masked {
  /** The document with every patient value hidden, otherwise character for character as it came. */
  xml: string;
  /** Masks text said about the message (attempt errors, journey steps). */
  text(text: string): string;
}

/** Keeps the last three digits, enough to match a caller's reference, too few to identify a child. */
export function maskNhsNumber(nhsNumber: string): string {
  const digits = nhsNumber.replace(/\D/g, '');
  return digits.length < 4 ? HIDDEN : `${'*'.repeat(digits.length - 3)}${digits.slice(-3)}`;
}

export function maskMessage(xml: string): Masked {
  if (xml.trim() === '') return { xml, text: hider([]) };
  const document = patientDocument(xml);
  if (!document.ok) return { xml: UNREADABLE, text: hider([]) };
  const values: string[] = [];
  document.value.walk({ field: (f) => values.push(f.value) });
  const hide = hider(values);
  const out: string[] = [];
  let copied = 0;
  const replace = (start: number, end: number, by: string) => {
    out.push(xml.slice(copied, start), by);
    copied = end;
  };
  const walked = document.value.walk({
    field: (f) => replace(f.start, f.end, maskField(f)),
    free: (t) => {
      const hidden = hideFree(xml, t, hide);
      if (hidden !== undefined) replace(t.start, t.end, hidden);
    },
  });
  if (!walked.ok) return { xml: UNREADABLE, text: hide };
  out.push(xml.slice(copied));
  return { xml: out.join(''), text: hide };
}

function maskField(field: PatientField): string {
  return field.name === 'nhsNumber' ? maskNhsNumber(field.value) : HIDDEN;
}

/** The free text with patient values hidden, as it must be written back; undefined when nothing in it needs hiding. */
function hideFree(xml: string, t: FreeText, hide: (text: string) => string): string | undefined {
  const raw = xml.slice(t.start, t.end);
  // Text and attributes are compared as read (`&#x53;mith` is Smith) and written back escaped.
  const escaped = t.kind === 'text' || t.kind === 'attribute';
  const read = escaped ? resolveReferences(raw) : raw;
  const hidden = hide(read);
  if (hidden === read) return undefined;
  return escaped ? hidden.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) : hidden;
}

/**
 * Ten-digit runs, then each value wherever it appears. Values are looked up by length, so a
 * plan update file with thousands of names costs a lookup per character and length, not per value.
 */
function hider(values: string[]): (text: string) => string {
  const byLength = new Map<number, Set<string>>();
  for (const value of values) {
    if (value.length < 2) continue;
    const set = byLength.get(value.length) ?? new Set<string>();
    byLength.set(value.length, set.add(value));
  }
  const lengths = [...byLength.keys()].sort((a, b) => b - a);
  const sets = lengths.map((l) => byLength.get(l) as Set<string>);
  const valueAt = (text: string, i: number): number => {
    for (let k = 0; k < lengths.length; k++) if (sets[k].has(text.substr(i, lengths[k]))) return lengths[k];
    return 0;
  };
  return (text) => {
    const digitsHidden = text.replace(TEN_DIGITS, (digits) => maskNhsNumber(digits));
    if (lengths.length === 0 || BLANK.test(digitsHidden)) return digitsHidden;
    let out = '';
    let copied = 0;
    for (let i = 0; i < digitsHidden.length;) {
      const length = valueAt(digitsHidden, i);
      if (length === 0) {
        i++;
      } else {
        out += `${digitsHidden.slice(copied, i)}${HIDDEN}`;
        i += length;
        copied = i;
      }
    }
    return copied === 0 ? digitsHidden : out + digitsHidden.slice(copied);
  };
}

const BLANK = /^\s*$/;
