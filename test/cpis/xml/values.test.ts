import { collapse, resolveReferences } from '../../../engine/cpis/xml/values.js';

test.each([
  ['the five predefined entities', '&lt;&gt;&amp;&apos;&quot;', `<>&'"`],
  ['decimal and hex character references', 'Zo&#235; Zo&#xEB; &#x1F600;', 'Zoë Zoë 😀'],
  ['references resolved once, not twice', '&amp;lt;', '&lt;'],
  ['text without references unchanged', ' 006 ', ' 006 '],
])('resolves %s', (_name, raw, value) => {
  expect(resolveReferences(raw)).toBe(value);
});

test.each([
  ['XML white space collapsed as xs:token does', ' \t Mary \n  Ann\r\n', 'Mary Ann'],
  ['a no-break space kept: it is not XML white space', '\u00a0Ann\u00a0', '\u00a0Ann\u00a0'],
  ['leading zeros kept', '006', '006'],
])('collapses %s', (_name, raw, value) => {
  expect(collapse(raw)).toBe(value);
});
