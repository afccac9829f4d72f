import type { Node, Tree } from './tree.js';

/**
 * A Tree written as a document, character for character as xmlbuilder2 writes it with
 * `prettyPrint` (two-space indent, text inline, empty elements self-closed, undefined values
 * and empty arrays left out). xmlbuilder2 first builds a DOM of the whole document, which
 * for a FileResponse echoing 100,000 records costs far more than the string itself; the
 * documents are the same (test/cpis/xml/pretty-print.test.ts compares the two).
 *
 * Only what the builders write is known here: elements (a prefix is the caller's to declare),
 * `@` attributes and text. Text nodes (`#`), comments and the like are refused.
 */

const TEXT = { any: /[&<>]/, each: /[&<>]/g };
const ATTRIBUTE = { any: /[&<>"]/, each: /[&<>"]/g };
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escaped = (value: string, special: typeof TEXT): string =>
  special.any.test(value) ? value.replace(special.each, (c) => ENTITY[c]) : value;

function attributes(tree: Tree): string {
  let out = '';
  for (const key in tree) {
    const value = tree[key];
    if (key.startsWith('@') && value !== undefined) out += ` ${key.slice(1)}="${escaped(value as string, ATTRIBUTE)}"`;
  }
  return out;
}

function element(out: string[], name: string, node: Node, indent: string): void {
  if (node === undefined) return;
  if (Array.isArray(node)) {
    for (const item of node as readonly Node[]) element(out, name, item, indent);
    return;
  }
  if (typeof node === 'string') {
    out.push(node === '' ? `${indent}<${name}/>\n` : `${indent}<${name}>${escaped(node, TEXT)}</${name}>\n`);
    return;
  }
  const tree = node as Tree;
  const open = `${indent}<${name}${attributes(tree)}`;
  const start = out.push(`${open}>\n`);
  const inner = `${indent}  `;
  for (const key in tree) {
    if (key.startsWith('@')) continue;
    if (key.startsWith('#') || key.startsWith('!') || key.startsWith('?') || key.startsWith('$')) {
      throw new RangeError(`only elements, attributes and text are written, not ${key}`);
    }
    element(out, key, tree[key], inner);
  }
  if (out.length === start) out[start - 1] = `${open}/>\n`;
  else out.push(`${indent}</${name}>\n`);
}

/** `<?xml …?>`, then `root` with its namespace declarations (`xmlns`, `xmlns:prefix`) and the children. */
export function prettyPrint(root: string, declarations: Readonly<Record<string, string>>, children: Tree): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const declared = Object.entries(declarations).map(([name, uri]) => ({ [`@${name}`]: uri }));
  element(out, root, Object.assign({}, ...declared, children) as Tree, '');
  const last = out.length - 1;
  out[last] = out[last].slice(0, -1);
  return out.join('');
}
