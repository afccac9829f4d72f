import { create } from 'xmlbuilder2';
import { admit } from './guard.js';
import { ok, type Result } from './result.js';
import { NAMESPACE } from './schemas.js';
import { child, treeParser, type Tree } from './tree.js';
import { validate, type Expected } from './validate.js';

export const MiB = 1024 * 1024;

/** What makes one message type: its schema and root, and how its tree maps to its type. */
export interface MessageSpec<T> extends Expected {
  /** Default byte cap; 1 MiB unless given. */
  maxBytes?: number;
  /** Dotted paths of elements that may repeat (see treeParser). */
  repeated?: readonly string[];
  read(root: Tree): T;
  /** Children of the root, in the XSD's order; undefined values are left out. */
  write(value: T): Tree;
}

export interface ParseOptions {
  /** Overrides the message type's default byte cap. */
  maxBytes?: number;
}

export interface Codec<T> {
  parse(xml: string | Buffer, options?: ParseOptions): Result<T>;
  build(value: T): string;
}

/**
 * Reading is guard, then XSD, then fast-xml-parser: each document is parsed once by libxml2
 * (to validate) and once by fast-xml-parser (to read), and the reader trusts the XSD.
 */
export function defineCodec<T>(spec: MessageSpec<T>): Codec<T> {
  const parseTree = treeParser(spec.repeated ?? []);
  return {
    parse(xml, options = {}) {
      const admitted = admit(xml, options.maxBytes ?? spec.maxBytes ?? MiB);
      if (!admitted.ok) return admitted;
      const { doc, text } = admitted.value;
      try {
        const valid = validate(doc, spec);
        if (!valid.ok) return valid;
      } finally {
        doc.dispose();
      }
      return ok(spec.read(child(parseTree(text), spec.root)));
    },
    build(value) {
      return create({ version: '1.0', encoding: 'UTF-8' })
        .ele(NAMESPACE, spec.root)
        .ele(spec.write(value))
        .doc()
        .end({ prettyPrint: true });
    },
  };
}
