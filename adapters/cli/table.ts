import { printableCell } from './printable.js';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | undefined | null;
  align?: 'left' | 'right';
  /** May be cut to make the table fit; ids people copy from the table should not be. */
  shrink?: boolean;
}

const GAP = '  ';
/** A shrunk column keeps at least this much of its text. */
export const MIN_SHRUNK = 8;

/**
 * A fixed-width table, header first, columns two spaces apart, at most `maxWidth`
 * wide when cutting the shrinkable columns (widest first) can make it so.
 */
export function table<Row>(columns: Column<Row>[], rows: Row[], maxWidth = Infinity): string {
  const cells = rows.map((row) => columns.map((c) => printableCell(String(c.value(row) ?? ''))));
  const natural = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const widths = fit(natural, columns.map((c) => c.shrink === true), maxWidth);
  const line = (texts: string[]) => texts.map((t, i) => pad(cut(t, widths[i]), widths[i], columns[i].align)).join(GAP).trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** Label and value pairs, values lined up; pairs without a value are left out. */
export function fields(pairs: [string, string | number | undefined | null][]): string {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}${GAP}${printableCell(String(v))}`).join('\n');
}

function fit(natural: number[], shrinkable: boolean[], maxWidth: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1) - maxWidth;
  while (excess > 0) {
    const widest = widths.reduce((best, w, i) => (shrinkable[i] && w > MIN_SHRUNK && (best < 0 || w > widths[best]) ? i : best), -1);
    if (widest < 0) break;
    widths[widest] -= 1;
    excess -= 1;
  }
  return widths;
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function pad(text: string, width: number, align: Column<unknown>['align']): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}
