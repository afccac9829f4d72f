import { printable } from './printable.js';

/** What `--json` prints: the API's answer as it came, for scripts. */
export function printJson(body: unknown): void {
  process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
}

/** Text for people, made safe for a terminal. */
export function printText(text: string): void {
  process.stdout.write(`${printable(text)}\n`);
}

/** Tables fit the terminal; piped into a file or `grep`, nothing is cut. */
export function terminalWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns : Infinity;
}
