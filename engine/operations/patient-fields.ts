import { HL7_NAMESPACE } from '../cpis/dms/hl7.js';
import { MiB } from '../cpis/xml/codec.js';
import { admit } from '../cpis/xml/guard.js';
import { ok, type Result } from '../cpis/xml/result.js';
import { scan, type Attribute } from '../cpis/xml/scan.js';
import { collapse, isBlank, resolveReferences } from '../cpis/xml/values.js';
import { hl7Element, type Hl7Field } from './hl7-patient-fields.js';

/**
 * Where a message holds patient data, read from the parsed document rather than by text
 * patterns, so CDATA, character references, comments, prefixes and attributes cannot hide
 * a value: the elements of the schemas' Person type (schemas/common.xsd), wherever they
 * stand, and any attribute of the same name; and in national (HL7 v3) elements, or elements
 * in no namespace, what hl7-patient-fields.ts finds.
 */
export const PATIENT_ELEMENTS = ['nhsNumber', 'familyName', 'givenName', 'birthDate'] as const;
export type PatientElement = (typeof PATIENT_ELEMENTS)[number];
export type PatientValue = PatientElement | Hl7Field;

/** The largest document the hub takes (a plan update file); anything larger is not read. */
const MAX_BYTES = 64 * MiB;

/** A patient value and the characters that spell it (an element's whole content, a text, or an attribute's value). */
export interface PatientField {
  name: PatientValue;
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
const prefixOf = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');
const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const isNamespaceDeclaration = (name: string) => name === 'xmlns' || name.startsWith('xmlns:');

/** Size cap, no DOCTYPE and well-formed (libxml2, as for every message the hub reads); then walked by `scan`. */
export function patientDocument(text: string): Result<PatientDocument> {
  const admitted = admit(text, MAX_BYTES);
  if (!admitted.ok) return admitted;
  admitted.value.doc.dispose();
  return ok({ walk: (visitor) => walk(text, visitor) });
}

/** Prefix (`''` for the default) to namespace, as declared around an element. */
type Scope = ReadonlyMap<string, string>;
/** An open element outside every patient field. */
interface Frame {
  local: string;
  scope: Scope;
  /** A patient's name (HL7 v3): its direct text is a value. */
  personName: boolean;
}

/** HL7 v3 rules read elements in its namespace, and those in none, so a document that lost its `xmlns` is not shown bare. */
const readsAsHl7 = (namespace: string | undefined) => !namespace || namespace === HL7_NAMESPACE;

function walk(text: string, visitor: PatientVisitor): Result<void> {
  // The outermost patient element we are in, its content gathered; inner elements are part of it.
  let inside: { name: PatientValue; start: number; depth: number; pieces: string[] } | undefined;
  const frames: Frame[] = [];
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
    const parent = frames.at(-1);
    if (piece.kind === 'open') {
      const element = localName(piece.name);
      const scope = declared(parent?.scope ?? new Map(), piece.attributes, attributeValue);
      const own = (name: string) => piece.attributes.find((a) => !isNamespaceDeclaration(a.name) && localName(a.name) === name);
      const hl7 = readsAsHl7(scope.get(prefixOf(piece.name)))
        ? hl7Element(element, parent?.local, parent?.personName ?? false, (name) => {
          const a = own(name);
          return a && attributeValue(a);
        })
        : undefined;
      const content: PatientValue | undefined = isPatient(element) ? element : hl7?.content;
      for (const a of piece.attributes) {
        const name = localName(a.name);
        const declaration = isNamespaceDeclaration(a.name);
        // An attribute named for a patient field, or any attribute of a patient element, is treated as one.
        const field = isPatient(name) ? name : declaration ? undefined : content ?? hl7?.attributes.get(name);
        if (field) visitor.field({ name: field, value: attributeValue(a), start: a.valueStart, end: a.valueEnd });
        else free('attribute', a.valueStart, a.valueEnd);
      }
      if (piece.empty) return;
      if (content) inside = { name: content, start: piece.contentStart, depth: 1, pieces: [] };
      else frames.push({ local: element, scope, personName: hl7?.personName ?? false });
    } else if (piece.kind === 'close') {
      frames.pop();
    } else if (parent?.personName && (piece.kind === 'text' || piece.kind === 'cdata') && !isBlank(text.slice(piece.start, piece.end))) {
      // A name written as text (HL7 allows it): each piece is a value.
      const raw = text.slice(piece.start, piece.end);
      visitor.field({ name: 'personName', value: collapse(piece.kind === 'text' ? resolveReferences(raw) : raw), start: piece.start, end: piece.end });
    } else {
      free(piece.kind, piece.start, piece.end);
    }
  });
}

/** The scope inside an element: its parent's, with the namespaces it declares. */
function declared(parent: Scope, attributes: Attribute[], value: (a: Attribute) => string): Scope {
  const declarations = attributes.filter((a) => isNamespaceDeclaration(a.name));
  if (declarations.length === 0) return parent;
  const scope = new Map(parent);
  for (const a of declarations) scope.set(a.name === 'xmlns' ? '' : a.name.slice('xmlns:'.length), value(a));
  return scope;
}

/**
 * Each NHS number in the text (native elements, national identifiers), spaces taken out,
 * in order of appearance without repeats.
 * A document that cannot be read names none here; failing messages are found by their ids.
 */
export function nhsNumbersIn(text: string): string[] {
  const document = patientDocument(text);
  if (!document.ok) return [];
  const found: string[] = [];
  document.value.walk({ field: (f) => { if (f.name === 'nhsNumber') found.push(f.value.replace(/\s+/g, '')); } });
  return [...new Set(found.filter((v) => v.length > 0))];
}
