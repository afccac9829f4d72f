import { londonOffset } from './uk-time.js';

/**
 * HL7 v2 dates and times (TS/DTM: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]) as the
 * ISO strings of our XML. A reason never repeats the value: it may be a birth date.
 */
export type Converted = { ok: true; value: string } | { ok: false; reason: string };

// An arrival needs at least the minute; seconds default to 00.
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;
// A date, or the date part of a longer TS (birth dates often carry 0000 as the time).
const DATE = /^(\d{4})(\d{2})(\d{2})(?:\d{2,6}(?:\.\d{1,4})?)?(?:[+-]\d{4})?$/;
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * An HL7 date/time as `YYYY-MM-DDThh:mm:ss[.f]±hh:mm`. With an offset it is kept; without
 * one the time is UK local time and gets the BST or GMT offset in force then.
 */
export function hl7DateTimeToIso(ts: string): Converted {
  const m = DATE_TIME.exec(ts);
  if (!m) return { ok: false, reason: 'is not an HL7 date/time (YYYYMMDDHHMM[SS[.S]][+/-ZZZZ])' };
  const [, year, month, day, hour, minute, second = '00', fraction, offset] = m;
  const wall = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
  if (!isCalendarDate(year, month, day) || +hour > 23 || +minute > 59 || +second > 59) {
    return { ok: false, reason: 'is not a valid date and time' };
  }
  const zone = offset ? isoOffset(offset) : londonOffset(wall);
  if (!zone) return { ok: false, reason: 'has an offset out of range' };
  return { ok: true, value: `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction ? `.${fraction}` : ''}${zone}` };
}

/** An HL7 date (or the date of a TS) as `YYYY-MM-DD`. */
export function hl7DateToIso(value: string): Converted {
  const m = DATE.exec(value);
  if (!m || !isCalendarDate(m[1], m[2], m[3])) return { ok: false, reason: 'is not a full date (YYYYMMDD)' };
  return { ok: true, value: `${m[1]}-${m[2]}-${m[3]}` };
}

function isCalendarDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(+year, +month - 1, +day));
  return date.getUTCFullYear() === +year && date.getUTCMonth() === +month - 1 && date.getUTCDate() === +day;
}

/** "+0100" as "+01:00"; undefined when it is no real offset. */
function isoOffset(offset: string): string | undefined {
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(3, 5));
  if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) return undefined;
  return `${offset.slice(0, 3)}:${offset.slice(3, 5)}`;
}
