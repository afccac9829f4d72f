import { createInterface } from 'node:readline/promises';
import { CliError } from './cli-error.js';

const ENTER = new Set(['\r', '\n', '\u0004']);
const ERASE = new Set(['\u007f', '\b']);
const INTERRUPT = '\u0003';

/** Whether someone is at a terminal to answer. */
export function interactive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Reads a line from the terminal without echoing it (a password); Ctrl-C cancels. */
export function readSecret(question: string): Promise<string> {
  const input = process.stdin;
  // Echo off before the prompt shows: whatever is typed once it is visible must not appear.
  input.setRawMode(true);
  process.stderr.write(question);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (settle: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      settle();
    };
    const onData = (chunk: string) => {
      const chars = [...chunk];
      for (const [i, c] of chars.entries()) {
        if (c === INTERRUPT) return finish(() => reject(new CliError('CANCELLED', 'cancelled', 130)));
        if (ENTER.has(c)) {
          // A pasted answer can bring the next one with it: leave that for the next read.
          const rest = chars.slice(i + 1).join('');
          return finish(() => {
            if (rest) input.unshift(rest);
            resolve(value);
          });
        }
        value = ERASE.has(c) ? value.slice(0, -1) : value + c;
      }
    };
    input.on('data', onData);
  });
}

/** Asks a question on the terminal, the answer echoed (a typed confirmation). */
export async function ask(question: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  const interrupt = new AbortController();
  lines.on('SIGINT', () => interrupt.abort());
  try {
    return await lines.question(question, { signal: interrupt.signal });
  } catch (err) {
    throw interrupt.signal.aborted ? new CliError('CANCELLED', 'cancelled', 130) : err;
  } finally {
    lines.close();
  }
}

/** The first line of standard input, for scripts that pipe a secret in. */
export async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0].replace(/\r$/, '');
}
