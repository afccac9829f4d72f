/** How times and ages read: times in UTC to the second, ages in their largest two units. */

/** `2026-11-20 22:14:03 UTC`, the zone always written (the console's pages write times the same way). */
export function when(iso: string | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const utc = t.toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 19)} UTC`;
}

const UNITS: [string, number][] = [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]];

export function age(seconds: number | null): string {
  if (seconds === null) return '-';
  const whole = Math.floor(seconds);
  const i = UNITS.findIndex(([, size]) => whole >= size);
  if (i < 0) return '0s';
  const [unit, size] = UNITS[i];
  const first = `${Math.floor(whole / size)}${unit}`;
  const next = UNITS[i + 1];
  const rest = next ? Math.floor((whole % size) / next[1]) : 0;
  return rest ? `${first} ${rest}${next[0]}` : first;
}

/** `1-50 of 120 failed messages`, under a table of one page. */
export function pageFooter(offset: number, shown: number, total: number, noun: string): string {
  return shown ? `${offset + 1}-${offset + shown} of ${total} ${noun}` : `none of ${total} ${noun} at offset ${offset}`;
}
