import { XMLParser } from 'fast-xml-parser';
import { collapse, isBlank, resolveReferences } from './values.js';

/**
 * A message as plain data, the shape fast-xml-parser reads and xmlbuilder2 writes: a key per
 * child element, `@name` for attributes, arrays for repeated elements, text as strings.
 */
export interface Tree {
  readonly [name: string]: Node;
}
export type Node = string | undefined | Tree | readonly Tree[];

const BOM = '\uFEFF';

/**
 * A parser that keeps every value a string (`006` stays `006`) and returns the elements
 * named by `repeated` (dotted paths from the root, e.g. `planUpdate.records.record`) as
 * arrays even when there is only one.
 */
export function treeParser(repeated: readonly string[]): (text: string) => Tree {
  const paths = new Set(repeated);
  const names = new Set(repeated.map((path) => path.slice(path.lastIndexOf('.') + 1)));
  const parser = new XMLParser({
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#',
    // libxml2 has checked the namespaces; prefixes are the sender's choice.
    removeNSPrefix: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Trimming is left to `collapse`: fast-xml-parser would trim each piece of a value split
    // by a comment, and trims more than XML white space.
    trimValues: false,
    jPath: false,
    // Indentation between elements is dropped here: keeping it costs a third more time on a
    // large file. fast-xml-parser calls a piece not a leaf once its element has any content.
    tagValueProcessor: (_name, value, _path, _hasAttributes, isLeafNode) =>
      isLeafNode || !isBlank(value) ? resolveReferences(value) : '',
    attributeValueProcessor: (_name, value) => resolveReferences(value),
    // The name test first: building the path string for every element is slow on large files.
    isArray: (name, path) => names.has(name) && paths.has(path.toString()),
  });
  return (text) => parser.parse(text.startsWith(BOM) ? text.slice(1) : text) as Tree;
}

// Readers. The document has passed its XSD, so they trust the shape it guarantees.

const leaf = (node: Node): string =>
  typeof node === 'object' ? leaf((node as Tree)['#']) : collapse(node ?? '');

export const text = (tree: Tree, name: string): string => leaf(tree[name]);

export const optionalText = (tree: Tree, name: string): string | undefined =>
  tree[name] === undefined ? undefined : leaf(tree[name]);

export const integer = (tree: Tree, name: string): number => Number(text(tree, name));

export const attribute = (tree: Tree, name: string): string => leaf(tree[`@${name}`]);

/** An element with no content reads as '', which here means no children. */
export const child = (tree: Tree, name: string): Tree => {
  const node = tree[name];
  return typeof node === 'object' ? (node as Tree) : {};
};

export const optionalChild = <T>(tree: Tree, name: string, read: (child: Tree) => T): T | undefined =>
  tree[name] === undefined ? undefined : read(child(tree, name));

export const children = (tree: Tree, name: string): readonly Tree[] =>
  (tree[name] as readonly Tree[] | undefined) ?? [];
