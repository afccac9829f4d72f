/** Every example document in schemas/examples against its schema, through the codec that reads it. */
import { readdirSync, readFileSync } from 'node:fs';
import type { SchemaName } from '../../../engine/cpis/xml/schemas.js';
import { messages } from './messages.js';

const EXAMPLES = new URL('../../../schemas/examples/', import.meta.url);
const REASON = /^(?:<\?xml[^>]*\?>\s*)?<!--\s*invalid:\s*([\s\S]*?)\s*-->/;

const read = (message: string, kind: 'valid' | 'invalid') =>
  readdirSync(new URL(`${message}/${kind}/`, EXAMPLES))
    .filter((file) => file.endsWith('.xml'))
    .map((file) => ({ file, xml: readFileSync(new URL(`${message}/${kind}/${file}`, EXAMPLES)) }));

describe.each(Object.keys(messages) as SchemaName[])('%s examples', (message) => {
  const { parse, build } = messages[message];
  const valid = read(message, 'valid');
  const invalid = read(message, 'invalid').map(({ file, xml }) => ({
    file,
    xml,
    reason: REASON.exec(xml.toString('utf8'))?.[1],
  }));

  test('there are at least two valid and one invalid example', () => {
    expect(valid.length).toBeGreaterThanOrEqual(2);
    expect(invalid.length).toBeGreaterThanOrEqual(1);
  });

  test.each(valid)('valid/$file passes and survives build then parse', ({ xml }) => {
    const parsed = parse(xml);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parse(build(parsed.value as never))).toEqual(parsed);
  });

  test.each(invalid)('invalid/$file fails: $reason', ({ xml, reason }) => {
    expect(reason).toBeTruthy();
    const parsed = parse(xml);
    expect(parsed).toMatchObject({ ok: false, error: { code: 'SCHEMA_INVALID' } });
    if (parsed.ok) return;
    expect(parsed.error.details[0]).toMatch(/^line \d+: /);
  });
});
