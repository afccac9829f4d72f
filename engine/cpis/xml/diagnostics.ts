import type { ErrorDetail } from 'libxml2-wasm';

/**
 * A file with every record wrong would otherwise carry one line per record into the
 * acknowledgement; the first problems are enough to fix the sender's export.
 */
const MAX_DETAILS = 100;

/** libxml2 level 1: a warning, which never decides the outcome and only adds noise. */
const WARNING = 1;

/** libxml2's own error messages, each prefixed with where it was found. */
export function describe(details: readonly ErrorDetail[]): string[] {
  const errors = details.filter((detail) => detail.level > WARNING);
  const lines = errors.slice(0, MAX_DETAILS).map(at);
  if (errors.length > MAX_DETAILS) lines.push(`... and ${errors.length - MAX_DETAILS} more`);
  return lines;
}

function at(detail: ErrorDetail): string {
  // libxml2 gives no column for schema errors (it reports 0).
  const where = detail.col > 0 ? `line ${detail.line}, column ${detail.col}` : `line ${detail.line}`;
  return `${where}: ${detail.message.trim()}`;
}
