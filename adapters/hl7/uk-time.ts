/**
 * UK local time (Europe/London). PAS systems commonly send times without an offset, as the
 * wall clock in the hospital; the hub needs an instant, so the offset in force at that wall
 * clock time is found from the time zone database rather than assumed.
 */
const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' });
const DAY_MS = 24 * 60 * 60 * 1000;

/** Minutes east of UTC in London at an instant ("GMT", "GMT+00:00" or "GMT+01:00"). */
function offsetAt(instantMs: number): number {
  const name = LONDON.formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * The London offset ("+01:00", "+00:00") for a wall clock time given as if it were UTC
 * (`Date.UTC(...)`). An offset is right when the instant it gives has that offset. In the
 * hour repeated when clocks go back, both are right: the first pass (BST) is taken. In the
 * hour skipped when clocks go forward, neither is: the offset before the change is taken,
 * as a clock not yet put forward would read.
 */
export function londonOffset(wallClockMs: number): string {
  const before = offsetAt(wallClockMs - DAY_MS);
  const after = offsetAt(wallClockMs + DAY_MS);
  const fits = [before, after].find((offset) => offsetAt(wallClockMs - offset * 60_000) === offset);
  return formatOffset(fits ?? before);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
