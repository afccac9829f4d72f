import { Command } from 'commander';
import { hashPassword } from '../../engine/console/accounts.js';
import { CliError, usageError } from './cli-error.js';
import { firstLineOfStdin, readSecret } from './prompt.js';
import { unlockCommand } from './unlock-command.js';

/** `cpisx console hash-password`: the scrypt hash for `console.users[].passwordHash`; no hub needed. */
export function consoleCommand(): Command {
  const hash = new Command('hash-password')
    .description('read a password (twice, without echo; or the first line of stdin when it is not a terminal) and print its hash for the configuration')
    .action(async () => {
      const password = process.stdin.isTTY ? await typedTwice() : await firstLineOfStdin();
      if (!password) throw usageError('the password is empty');
      process.stdout.write(`${await hashPassword(password)}\n`);
    });
  return new Command('console').description('support console set-up and accounts').addCommand(hash).addCommand(unlockCommand());
}

async function typedTwice(): Promise<string> {
  const first = await readSecret('new password: ');
  const second = await readSecret('again: ');
  if (first !== second) throw new CliError('PASSWORD_MISMATCH', 'the two passwords differ; nothing printed');
  return first;
}
