/**
 * From raw character data to the value the schema validated.
 *
 * fast-xml-parser runs with entity processing off (ARCHITECTURE.md), so it hands over text
 * with references unresolved. libxml2 has already accepted the document and DOCTYPEs are
 * refused, so the only references left are the five predefined entities and character
 * references.
 *
 * Known limits, both for text no supplier system writes: fast-xml-parser passes CDATA content
 * through the same hook, so a CDATA section that literally contains e.g. `&amp;` is read as
 * `&`; and a value split into pieces by comments or CDATA loses a piece that is only white
 * space (see treeParser), so `Mary<!-- --> <!-- -->Ann` reads as `MaryAnn`.
 */
const REFERENCE = /&(?:(lt|gt|amp|apos|quot)|#([0-9]+)|#x([0-9a-fA-F]+));/g;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function resolve(_match: string, name?: string, decimal?: string, hex?: string): string {
  if (name) return PREDEFINED[name];
  return String.fromCodePoint(decimal ? Number(decimal) : parseInt(hex as string, 16));
}

/** Resolves each piece of text as fast-xml-parser meets it: a reference never spans two. */
export const resolveReferences = (raw: string): string =>
  raw.includes('&') ? raw.replace(REFERENCE, resolve) : raw;

/** XML white space only: a no-break space is part of a value. */
const RUNS = /[ \t\r\n]+/g;
const ENDS = /^ | $/g;
const BLANK = /^[ \t\r\n]*$/;

export const isBlank = (text: string): boolean => BLANK.test(text);

/**
 * Every simple type in our schemas collapses white space (xs:token and its kin, dates,
 * numbers), so the collapsed text is exactly the value the XSD checked. Applied to a whole
 * value, after pieces split by comments or CDATA are joined.
 */
export const collapse = (text: string): string => text.replace(RUNS, ' ').replace(ENDS, '');
