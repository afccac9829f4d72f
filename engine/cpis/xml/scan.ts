import { fail, ok, type Result } from './result.js';

/**
 * The pieces of a document with their places in its text, for rewriting some of them and
 * leaving every other character as it was. Ranges are [start, end) offsets into the text.
 * Text is raw (references unresolved); comment and CDATA ranges are their content only.
 */
export type Piece =
  | { kind: 'open'; name: string; attributes: Attribute[]; empty: boolean; contentStart: number }
  | { kind: 'close'; name: string; start: number }
  | { kind: 'text' | 'cdata' | 'comment' | 'instruction'; start: number; end: number };

export interface Attribute {
  name: string;
  valueStart: number;
  valueEnd: number;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
/** Space, `/`, `>`, `=` or `<`. */
const endsName = (c: number) => isSpace(c) || c === 0x2f || c === 0x3e || c === 0x3d || c === 0x3c;

class Broken extends Error {}

/**
 * Walks a document libxml2 has already found well-formed (see `admit`), so it knows only the
 * forms such a document can hold, and calls `visit` with each piece in order. Anything else
 * (a DOCTYPE, an unclosed construct, a misnested tag) ends the walk as NOT_WELL_FORMED, so
 * a caller never rewrites text it has misread.
 */
export function scan(text: string, visit: (piece: Piece) => void): Result<void> {
  try {
    walk(text, visit);
    return ok(undefined);
  } catch (err) {
    if (!(err instanceof Broken)) throw err;
    return fail('NOT_WELL_FORMED', `not well-formed XML at offset ${err.message}`);
  }
}

function walk(text: string, visit: (piece: Piece) => void): void {
  const open: string[] = [];
  let i = 0;
  const until = (marker: string, from: number): number => {
    const at = text.indexOf(marker, from);
    if (at < 0) throw new Broken(String(from));
    return at;
  };
  while (i < text.length) {
    if (text[i] !== '<') {
      const end = text.indexOf('<', i);
      const stop = end < 0 ? text.length : end;
      visit({ kind: 'text', start: i, end: stop });
      i = stop;
    } else if (text.startsWith('<!--', i)) {
      const end = until('-->', i + 4);
      visit({ kind: 'comment', start: i + 4, end });
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = until(']]>', i + 9);
      visit({ kind: 'cdata', start: i + 9, end });
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = until('?>', i + 2);
      visit({ kind: 'instruction', start: i, end: end + 2 });
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      throw new Broken(String(i));
    } else if (text.startsWith('</', i)) {
      const end = until('>', i + 2);
      const name = text.slice(i + 2, end).replace(/[ \t\r\n]+$/, '');
      if (open.pop() !== name) throw new Broken(String(i));
      visit({ kind: 'close', name, start: i });
      i = end + 1;
    } else {
      i = startTag(text, i, open, visit);
    }
  }
  if (open.length > 0) throw new Broken(String(text.length));
}

/** Returns where the tag ends. Attribute values cannot hold `<` in a well-formed document, but may hold `>`. */
function startTag(text: string, from: number, open: string[], visit: (piece: Piece) => void): number {
  let i = from + 1;
  const name = nameAt(text, i);
  i += name.length;
  const attributes: Attribute[] = [];
  for (;;) {
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.startsWith('/>', i) || text[i] === '>') break;
    const attribute = nameAt(text, i);
    i += attribute.length;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text[i] !== '=') throw new Broken(String(i));
    i++;
    while (isSpace(text.charCodeAt(i))) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") throw new Broken(String(i));
    const valueEnd = text.indexOf(quote, i + 1);
    if (valueEnd < 0 || text.slice(i + 1, valueEnd).includes('<')) throw new Broken(String(i));
    attributes.push({ name: attribute, valueStart: i + 1, valueEnd });
    i = valueEnd + 1;
  }
  const empty = text[i] === '/';
  const contentStart = i + (empty ? 2 : 1);
  if (!empty) open.push(name);
  visit({ kind: 'open', name, attributes, empty, contentStart });
  return contentStart;
}

function nameAt(text: string, from: number): string {
  let end = from;
  while (end < text.length && !endsName(text.charCodeAt(end))) end++;
  if (end === from) throw new Broken(String(from));
  return text.slice(from, end);
}
