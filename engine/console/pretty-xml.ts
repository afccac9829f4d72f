/**
 * Indents XML for reading, tolerantly: failed messages may be broken, so this never
 * parses; it splits tags from text and indents by nesting. Text that holds no tag
 * or that does not split cleanly comes back as it was. The result is only ever shown as text.
 */
const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[^>]*>|[^<]+/g;

export function prettyXml(text: string): string {
  const raw = text.match(TOKEN) ?? [];
  // A stray `<` matches no token: such text is shown exactly as it came.
  if (!text.trimStart().startsWith('<') || raw.join('') !== text) return text;
  const lines: string[] = [];
  let depth = 0;
  const tokens = raw.map((t) => (t.startsWith('<') ? t : t.trim())).filter((t) => t.length > 0);
  for (let i = 0; i < tokens.length; i++) {
    const [token, next, after] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (isClosing(token)) depth = Math.max(0, depth - 1);
    const pad = '  '.repeat(depth);
    if (isOpening(token) && next !== undefined && !next.startsWith('<') && after !== undefined && isClosing(after)) {
      lines.push(`${pad}${token}${next}${after}`); // <a>text</a> stays on one line
      i += 2;
      continue;
    }
    lines.push(`${pad}${token}`);
    if (isOpening(token)) depth += 1;
  }
  return lines.join('\n');
}

function isClosing(token: string): boolean {
  return token.startsWith('</');
}

function isOpening(token: string): boolean {
  return token.startsWith('<') && !/^<[/?!]/.test(token) && !token.endsWith('/>');
}
