import { XmlValidateError, type XmlDocument } from 'libxml2-wasm';
import { describe } from './diagnostics.js';
import { fail, ok, type Result } from './result.js';
import { NAMESPACE, validatorFor, type SchemaName } from './schemas.js';

export interface Expected {
  schema: SchemaName;
  /** The root element's local name, in `namespace`. */
  root: string;
  /** NAMESPACE unless given (the national documents are in HL7 v3's). */
  namespace?: string;
}

/**
 * Checks the document is the expected message, then validates it against that message's XSD.
 * The root is checked first so that a message sent to the wrong place says so, rather than
 * producing the validator's "no matching global declaration".
 */
export function validate(doc: XmlDocument, expected: Expected): Result<void> {
  const root = doc.root;
  const namespace = expected.namespace ?? NAMESPACE;
  if (root.name !== expected.root || root.namespaceUri !== namespace) {
    return fail(
      'WRONG_DOCUMENT',
      `expected the root element {${namespace}}${expected.root}, found {${root.namespaceUri}}${root.name}`,
    );
  }
  try {
    validatorFor(expected.schema).validate(doc);
    return ok(undefined);
  } catch (error) {
    if (!(error instanceof XmlValidateError)) throw error;
    const details = describe(error.details);
    return fail('SCHEMA_INVALID', `does not match ${expected.schema}.xsd${details.length ? '' : ' (the validator gave no reason)'}`, details);
  }
}
