import { age, pageFooter, when } from '../../adapters/cli/formats.js';
import { printable, printableCell } from '../../adapters/cli/printable.js';
import { progressBar } from '../../adapters/cli/progress.js';
import { fields, MIN_SHRUNK, table, type Column } from '../../adapters/cli/table.js';

interface Row { id: string; text: string; n: number }

const columns: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'TEXT', value: (r) => r.text, shrink: true },
  { header: 'N', value: (r) => r.n, align: 'right' },
];
const rows: Row[] = [
  { id: 'A1', text: 'short', n: 7 },
  { id: 'B22', text: 'a rather longer piece of text', n: 1234 },
];

describe('table (pure)', () => {
  test('lines columns up two spaces apart, numbers to the right, no trailing spaces', () => {
    expect(table(columns, rows)).toBe([
      'ID   TEXT                              N',
      'A1   short                             7',
      'B22  a rather longer piece of text  1234',
    ].join('\n'));
    expect(table(columns.slice(0, 2), rows).split('\n')[1]).toBe('A1   short');
  });

  test('fits a narrower terminal by cutting only the shrinkable columns, marking the cut', () => {
    const lines = table(columns, rows, 30).split('\n');
    expect(lines.map((l) => l.length)).toEqual([30, 30, 30]);
    expect(lines[2]).toBe('B22  a rather longer pi…  1234');
    expect(lines[2].startsWith('B22  ')).toBe(true); // the id is whole
  });

  test('stops at the shrunk minimum rather than cutting ids, even if it does not fit', () => {
    const lines = table(columns, rows, 10).split('\n');
    expect(lines[2]).toBe(`B22  ${'a rather'.slice(0, MIN_SHRUNK - 1)}…  1234`);
  });

  test('a header alone when there are no rows; empty cells for missing values', () => {
    expect(table(columns, [])).toBe('ID  TEXT  N');
    const sparse: Column<{ a?: string }>[] = [{ header: 'A', value: (r) => r.a }, { header: 'B', value: () => 'b' }];
    expect(table(sparse, [{}])).toBe('A  B\n   b');
  });

  test('a cell is one line, and control characters from the hub cannot reach the terminal raw', () => {
    const out = table([{ header: 'X', value: (r: string) => r }], ['line one\nline two\t\u001b[2J\u202eevil']);
    expect(out.split('\n')).toEqual(['X', 'line one line two \\u001b[2J\\u202eevil']);
  });
});

describe('fields (pure)', () => {
  test('aligns values after their labels and leaves out missing ones', () => {
    expect(fields([['Message', 'M1'], ['Local id', undefined], ['To', 'X26HUB'], ['Size', 0]])).toBe('Message  M1\nTo       X26HUB\nSize     0');
  });
});

describe('printable text (pure)', () => {
  test('keeps lines and tabs in a block of text, escapes the rest', () => {
    expect(printable('<a>\n\t<b>\u0007\u009b31m</b>\r\n</a>')).toBe('<a>\n\t<b>\\u0007\\u009b31m</b>\\u000d\n</a>');
    expect(printableCell('a\r\nb')).toBe('a b');
  });
});

describe('formats (pure)', () => {
  test('times in UTC to the second with the zone written, ages in their two largest units', () => {
    expect(when('2026-11-20T22:14:03.123Z')).toBe('2026-11-20 22:14:03 UTC');
    expect(when('2026-11-20T23:14:03+01:00')).toBe('2026-11-20 22:14:03 UTC');
    expect(when(undefined)).toBe('');
    expect([null, 0, 0.5, 59, 61, 3600, 3725, 90_061].map(age)).toEqual(['-', '0s', '0s', '59s', '1m 1s', '1h', '1h 2m', '1d 1h']);
  });

  test('a page footer says which rows of how many', () => {
    expect(pageFooter(50, 25, 75, 'failed messages')).toBe('51-75 of 75 failed messages');
    expect(pageFooter(100, 0, 75, 'failed messages')).toBe('none of 75 failed messages at offset 100');
  });
});

describe('progress bar (pure)', () => {
  test('fills in proportion to what has been handled, replayed or not', () => {
    expect(progressBar({ total: 4, done: 1, failed: 1, state: 'running' }, 8)).toBe('[####----] 2/4 handled: 1 replayed, 1 could not be');
    expect(progressBar({ total: 0, done: 0, failed: 0, state: 'finished' }, 4)).toBe('[####] 0/0 handled: 0 replayed, 0 could not be');
  });
});
