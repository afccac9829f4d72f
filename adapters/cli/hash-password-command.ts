import { Command } from 'commander';
import { hashPassword } from '../../engine/console/accounts.js';
import { checkPassword, MIN_PASSWORD_LENGTH } from '../../engine/console/password-policy.js';
import { CliError, usageError } from './cli-error.js';
import { firstLineOfStdin, readSecret } from './prompt.js';
import { unlockCommand } from './unlock-command.js';

/**
 * `cpisx console hash-password`: the scrypt hash for `console.users[].passwordHash`, for a
 * password the policy (password-policy.ts) allows; no hub needed.
 */
export function consoleCommand(): Command {
  const hash = new Command('hash-password')
    .description(`read a password (twice, without echo; or the first line of stdin when it is not a terminal) and print its hash for the configuration; at least ${MIN_PASSWORD_LENGTH} characters, not a well-known one`)
    .option('--username <name>', 'the account it is for, so a password made from the username is refused too')
    .action(async (o: { username?: string }) => {
      const password = process.stdin.isTTY ? await typedTwice() : await firstLineOfStdin();
      if (!password) throw usageError('the password is empty');
      const check = checkPassword(password, o.username);
      if (!check.ok) throw new CliError('WEAK_PASSWORD', `refused, ${check.message}; nothing printed`);
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
