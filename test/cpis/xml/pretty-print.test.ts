import { create } from 'xmlbuilder2';
import { prettyPrint } from '../../../engine/cpis/xml/pretty-print.js';
import type { Tree } from '../../../engine/cpis/xml/tree.js';

/** What the national documents were written with before: prettyPrint must give the same characters. */
const xmlbuilder2 = (root: string, declarations: Record<string, string>, children: Tree): string => {
  const { xmlns, ...others } = declarations;
  return create({ version: '1.0', encoding: 'UTF-8' }).ele(xmlns, root, others).ele(children).doc().end({ prettyPrint: true });
};

const declarations = { xmlns: 'urn:hl7-org:v3', 'xmlns:npfitlc': 'NPFIT:HL7:Localisation' };

test('escaping in attributes and text, as xmlbuilder2 escapes', () => {
  const tree: Tree = {
    name: { '@use': 'a&b<c>d"e\'f\tg\nh\ri', given: 'x&y<z>w"q\'r\ts\nu\rv', family: ' spaced  out ' },
  };
  const xml = prettyPrint('Root', declarations, tree);
  expect(xml).toContain('use="a&amp;b&lt;c&gt;d&quot;e\'f\tg\nh\ri"');
  expect(xml).toBe(xmlbuilder2('Root', declarations, tree));
});

test('empty, undefined, repeated, nested and prefixed elements, as xmlbuilder2 lays them out', () => {
  const tree: Tree = {
    'npfitlc:contentId': { '@root': '2.16', '@extension': 'COCT#Child' },
    empty: '',
    missing: undefined,
    noAttributes: { '@gone': undefined },
    onlyUndefined: { inner: undefined, none: [] },
    none: [],
    repeated: [{ '@k': '1' }, { '@k': '2', leaf: 'v' }, {}],
    deep: { a: { b: { c: 'deep', d: [{ e: { '@f': 'g' } }] } } },
  };
  const xml = prettyPrint('FileResponse', declarations, tree);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<FileResponse xmlns="urn:hl7-org:v3" xmlns:npfitlc="NPFIT:HL7:Localisation">\n')).toBe(true);
  expect(xml).toContain('  <noAttributes/>\n  <onlyUndefined/>\n');
  expect(xml).toBe(xmlbuilder2('FileResponse', declarations, tree));
});

test('text nodes and other markup are refused rather than written differently', () => {
  expect(() => prettyPrint('Root', declarations, { a: { '#': 'text' } })).toThrow(RangeError);
});
