import { readFileSync } from 'node:fs';
import {
  XmlBufferInputProvider,
  XmlDocument,
  XsdValidator,
  xmlRegisterInputProvider,
} from 'libxml2-wasm';

/** The version is in the namespace: a new major version is a new namespace. */
export const NAMESPACE = 'urn:cpis-exchange:v1';

export type SchemaName =
  | 'plan-update'
  | 'plan-update-ack'
  | 'attendance'
  | 'flag-response'
  | 'access-notification'
  | 'mesh-report'
  | 'inactive-nhs-number'
  /** The national upload (DMS), in the HL7 v3 namespace: see schemas/dms/README.md. */
  | 'dms/upload'
  /** The national CP-IS NHS query (QUPC_IN000006GB01): see schemas/dms/README.md. */
  | 'dms/query';

const DIRECTORY = new URL('../../../schemas/', import.meta.url);

/**
 * libxml2-wasm has no file access of its own: an `xs:include` is read through a registered
 * input provider. Serving the included files from memory under a private scheme means the
 * provider can read these files and nothing else, whatever a document asks for.
 */
const BASE = 'cpis-schemas:///';
const INCLUDED = ['common.xsd', 'dms/localisation.xsd', 'dms/datatypes.xsd'];

const validators = new Map<SchemaName, XsdValidator>();
let includesRegistered = false;

/** Each XSD is compiled once, on first use, and kept for the life of the process. */
export function validatorFor(name: SchemaName): XsdValidator {
  const known = validators.get(name);
  if (known) return known;
  registerIncludes();
  const file = `${name}.xsd`;
  // Not disposed: the compiled schema may still point into this document.
  const xsd = XmlDocument.fromBuffer(readFileSync(new URL(file, DIRECTORY)), { url: BASE + file });
  const validator = XsdValidator.fromDoc(xsd);
  validators.set(name, validator);
  return validator;
}

function registerIncludes(): void {
  if (includesRegistered) return;
  const files = Object.fromEntries(
    INCLUDED.map((file) => [BASE + file, readFileSync(new URL(file, DIRECTORY))]),
  );
  xmlRegisterInputProvider(new XmlBufferInputProvider(files));
  includesRegistered = true;
}
