import { Command } from 'commander';
import { ConsoleSession, whereAndWho, withHubOptions, type HubOptions } from './console-session.js';
import { printText } from './output.js';

/** `cpisx logout`: ends the session the commands share, at the hub (audited) and on this machine. */
export function logoutCommand(): Command {
  const command = new Command('logout').description('end your console session with the hub; the next command signs in again');
  return withHubOptions(command).action(async (o: HubOptions) => {
    const { hub, username } = whereAndWho(o);
    const session = await ConsoleSession.resume(hub, username);
    if (!session) return printText(`no session of ${username} at ${hub}`);
    await session.close(username);
    printText(`signed out of ${hub}`);
  });
}
