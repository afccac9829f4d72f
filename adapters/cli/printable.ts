/**
 * Text from the hub (message content, ids, reasons staff typed) goes to a terminal: a
 * control character or a bidirectional override in it could move the cursor, recolour
 * or hide what is shown. They are shown as visible escapes instead.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text keeping its lines and tabs, for the XML of a message. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** One table cell: on one line. */
export function printableCell(text: string): string {
  return printable(text.replace(/\r\n|[\n\r\t]/g, ' '));
}
