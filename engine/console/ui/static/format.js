/** How times and numbers read on the pages: UTC to the second with the zone written, ages in words. */

const valid = (iso) => Boolean(iso) && !Number.isNaN(new Date(iso).getTime());

/** `2026-11-20 22:14:03 UTC`, as the command line writes times; `—` when absent. */
export function time(iso) {
  if (!iso) return '—';
  if (!valid(iso)) return String(iso);
  const utc = new Date(iso).toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 19)} UTC`;
}

/** `3 h 12 min`, `45 s`; `—` when there is nothing waiting. */
export function age(seconds) {
  if (seconds === undefined || seconds === null) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function bytes(n) {
  if (n === undefined || n === null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The value a datetime-local input (labelled UTC) shows for an ISO time, and back. */
export function toUtcInput(iso) {
  return valid(iso) ? new Date(iso).toISOString().slice(0, 16) : '';
}

export function fromUtcInput(value) {
  return valid(`${value}Z`) ? new Date(`${value}Z`).toISOString() : '';
}
