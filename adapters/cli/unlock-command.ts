import { Command } from 'commander';
import { withHubOptions, withSession, type HubOptions } from './console-session.js';
import { printJson, printText } from './output.js';

/** `cpisx console unlock <username>` (admin): lifts a sign-in lockout before it runs out; audited at the hub. */
export function unlockCommand(): Command {
  const command = new Command('unlock')
    .description('clear the failed sign-ins that locked a staff account (admin)')
    .argument('<username>', 'the locked account')
    .option('--json', 'print the API\'s JSON');
  return withHubOptions(command).action((username: string, o: HubOptions & { json?: boolean }) => withSession(o, async (session) => {
    const done = await session.post<{ username: string; wasLocked: boolean }>(`/accounts/${encodeURIComponent(username)}/unlock`);
    if (o.json) printJson(done);
    else printText(done.wasLocked ? `unlocked ${done.username}` : `${done.username} was not locked; its failed sign-ins are cleared`);
  }));
}
