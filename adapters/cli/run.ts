import { CommanderError, type Command } from 'commander';
import { CliError } from './cli-error.js';

/**
 * Runs the program and turns whatever a command failed with into one line,
 * `cpisx: CODE: message`, and the exit code: 2 for usage, 1 for refusals and failures.
 */
export async function runProgram(program: Command, argv = process.argv): Promise<void> {
  everyCommand(program, (c) => c.exitOverride().configureOutput({
    outputError: (text, write) => write(`cpisx: USAGE: ${text.replace(/^error: /, '')}`),
  }));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err);
  }
}

function report(err: unknown): number {
  // Commander has printed its usage error or the help already.
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  const { code, message, exitCode } = err instanceof CliError ? err : { code: 'INTERNAL', message: (err as Error).message, exitCode: 1 };
  process.stderr.write(`cpisx: ${code}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return exitCode;
}

/** `addCommand` does not pass settings down, so each command gets them here. */
function everyCommand(command: Command, apply: (c: Command) => void): void {
  apply(command);
  for (const sub of command.commands) everyCommand(sub, apply);
}
