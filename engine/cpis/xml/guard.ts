import { ParseOption, XmlDocument, XmlParseError } from 'libxml2-wasm';
import { describe } from './diagnostics.js';
import { fail, ok, type Result } from './result.js';

/** A document that passed the checks made before any parsing into values. */
export interface Admitted {
  /** libxml2's tree, for schema validation; the caller disposes it. */
  doc: XmlDocument;
  /** The same bytes as text, for fast-xml-parser. */
  text: string;
}

/**
 * Never fetch anything a document points to, and keep line numbers right past 65535
 * (a large plan update file has millions of lines).
 */
const PARSE_OPTIONS =
  ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_BIG_LINES;

/**
 * A DOCTYPE is how entity expansion (billion laughs) and external entities get in; our
 * messages never need one. Looked for anywhere, even in comments: simpler than knowing the prolog.
 */
const DECLARATION = /<!(?:DOCTYPE|ENTITY)/;

/**
 * Size cap, then no DOCTYPE, then well-formed. The input is read as UTF-8 whatever it
 * declares, so that the DOCTYPE check, libxml2 and fast-xml-parser all see the same characters.
 */
export function admit(input: string | Buffer, maxBytes: number): Result<Admitted> {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) {
    return fail('TOO_LARGE', `the document is ${size} bytes, over the limit of ${maxBytes} bytes`);
  }
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const text = typeof input === 'string' ? input : input.toString('utf8');

  const declaration = DECLARATION.exec(text);
  if (declaration) {
    const line = text.slice(0, declaration.index).split('\n').length;
    return fail('DOCTYPE', `line ${line}: DOCTYPE and ENTITY declarations are not accepted`);
  }

  try {
    return ok({ doc: XmlDocument.fromBuffer(bytes, { encoding: 'utf-8', option: PARSE_OPTIONS }), text });
  } catch (error) {
    if (!(error instanceof XmlParseError)) throw error;
    const details = describe(error.details);
    // The reasons are the details only, so that a list of both (an edit's 422) says each once.
    return fail('NOT_WELL_FORMED', details.length ? 'not well-formed XML' : 'not well-formed XML (the parser gave no reason)', details);
  }
}
