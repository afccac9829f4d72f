import { Command } from 'commander';
import type { ChainCheck } from '../../engine/console/audit.js';
import { CliError } from './cli-error.js';
import { withHubOptions, withSession, type HubOptions } from './console-session.js';
import { when } from './formats.js';
import { printJson, printText } from './output.js';

type VerifyOptions = HubOptions & { json?: boolean };

/** `cpisx audit verify` (admin): walks the hub's audit chain; a break exits 1 naming the first one, for cron and scripts. */
export function auditVerifyCommand(): Command {
  const command = new Command('verify')
    .description('check the audit log\'s hash chain and its anchored tail (admin); exit 1 at the first break')
    .option('--json', 'print the API\'s JSON');
  // `audit` takes --hub, --user and --json too and commander hands them to it: read both levels.
  return withHubOptions(command).action((_o: unknown, self: Command) => withSession(self.optsWithGlobals<VerifyOptions>(), async (session) => {
    const check = await session.get<ChainCheck>('/audit/verify');
    if (self.optsWithGlobals<VerifyOptions>().json) printJson(check);
    else printText(renderCheck(check));
    if (!check.ok) throw new CliError('CHAIN_BROKEN', `the audit chain breaks at entry ${check.broken.id}: ${check.broken.problem}`);
  }));
}

export function renderCheck(check: ChainCheck): string {
  const tail = check.anchored ? 'its tail anchored' : 'its tail not anchored yet (the next audited action anchors it)';
  if (check.ok) return `audit chain intact: ${check.count} entries, ${tail}`;
  const { id, at, problem, detail } = check.broken;
  return [
    `audit chain BROKEN after ${check.count} intact entries, ${tail}`,
    `Entry    ${id}`,
    `Written  ${when(at) || 'unknown'}`,
    `Problem  ${problem}`,
    `Detail   ${detail}`,
  ].join('\n');
}
