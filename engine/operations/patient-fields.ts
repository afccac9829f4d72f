import { MiB } from '../cpis/xml/codec.js';
import { admit } from '../cpis/xml/guard.js';
import { ok, type Result } from '../cpis/xml/result.js';
import { scan, type Attribute } from '../cpis/xml/scan.js';
import { collapse, resolveReferences } from '../cpis/xml/values.js';

/**
 * Where a message holds patient data, read from the parsed document rather than by text
 * patterns, so CDATA, character references, comments, prefixes and attributes cannot hide
 * a value: the elements of the schemas' Person type (schemas/common.xsd), wherever they
 * stand, and any attribute of the same name.
 */
export const PATIENT_ELEMENTS = ['nhsNumber', 'familyName', 'givenName', 'birthDate'] as const;
export type PatientElement = (typeof PATIENT_ELEMENTS)[number];

/** The largest document the hub takes (a plan update file); anything larger is not read. */
const MAX_BYTES = 64 * MiB;

/** A patient value and the characters that spell it (an element's whole content, or an attribute's value). */
export interface PatientField {
  name: PatientElement;
  /** As the schema reads it: references resolved, CDATA joined, white space collapsed. */
  value: string;
  start: number;
  end: number;
}

/** Text outside every patient field, raw; `attribute` and `text` may hold references. */
export interface FreeText {
  kind: 'attribute' | 'text' | 'cdata' | 'comment' | 'instruction';
  start: number;
  end: number;
}

export interface PatientVisitor {
  field(field: PatientField): void;
  free?(text: FreeText): void;
}

/** A document found readable; `walk` reports its fields and free text in document order. */
export interface PatientDocument {
  walk(visitor: PatientVisitor): Result<void>;
}

const isPatient = (name: string): name is PatientElement => (PATIENT_ELEMENTS as readonly string[]).includes(name);
const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const isNamespaceDeclaration = (name: string) => name === 'xmlns' || name.startsWith('xmlns:');

/** Size cap, no DOCTYPE and well-formed (libxml2, as for every message the hub reads); then walked by `scan`. */
export function patientDocument(text: string): Result<PatientDocument> {
  const admitted = admit(text, MAX_BYTES);
  if (!admitted.ok) return admitted;
  admitted.value.doc.dispose();
  return ok({ walk: (visitor) => walk(text, visitor) });
}

function walk(text: string, visitor: PatientVisitor): Result<void> {
  // The outermost patient element we are in, its content gathered; inner elements are part of it.
  let inside: { name: PatientElement; start: number; depth: number; pieces: string[] } | undefined;
  const free = (kind: FreeText['kind'], start: number, end: number) => visitor.free?.({ kind, start, end });
  const attributeValue = (a: Attribute) => collapse(resolveReferences(text.slice(a.valueStart, a.valueEnd)));
  return scan(text, (piece) => {
    if (inside) {
      if (piece.kind === 'open' && !piece.empty) inside.depth++;
      else if (piece.kind === 'text') inside.pieces.push(resolveReferences(text.slice(piece.start, piece.end)));
      else if (piece.kind === 'cdata') inside.pieces.push(text.slice(piece.start, piece.end));
      else if (piece.kind === 'close' && --inside.depth === 0) {
        visitor.field({ name: inside.name, value: collapse(inside.pieces.join('')), start: inside.start, end: piece.start });
        inside = undefined;
      }
      return;
    }
    if (piece.kind === 'open') {
      const element = localName(piece.name);
      for (const a of piece.attributes) {
        const name = localName(a.name);
        // An attribute named for a patient field, or any attribute of a patient element, is treated as one.
        const field = isPatient(name) ? name : isPatient(element) && !isNamespaceDeclaration(a.name) ? element : undefined;
        if (field) visitor.field({ name: field, value: attributeValue(a), start: a.valueStart, end: a.valueEnd });
        else free('attribute', a.valueStart, a.valueEnd);
      }
      if (isPatient(element) && !piece.empty) inside = { name: element, start: piece.contentStart, depth: 1, pieces: [] };
    } else if (piece.kind !== 'close') {
      free(piece.kind, piece.start, piece.end);
    }
  });
}

/**
 * Each NHS number in the text, spaces taken out, in order of appearance without repeats.
 * A document that cannot be read names none here; failing messages are found by their ids.
 */
export function nhsNumbersIn(text: string): string[] {
  const document = patientDocument(text);
  if (!document.ok) return [];
  const found: string[] = [];
  document.value.walk({ field: (f) => { if (f.name === 'nhsNumber') found.push(f.value.replace(/\s+/g, '')); } });
  return [...new Set(found.filter((v) => v.length > 0))];
}
