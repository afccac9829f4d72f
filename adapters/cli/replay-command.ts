import { Command } from 'commander';
import type { BulkProgress } from '../../engine/operations/bulk-replay.js';
import { messagePath, type FailedPage } from './api.js';
import { CliError, usageError } from './cli-error.js';
import { withHubOptions, withSession, type ConsoleSession, type HubOptions } from './console-session.js';
import { filterQuery, isFiltered, withFilterOptions, type FilterOptions } from './failed-filter.js';
import { printText } from './output.js';
import { followProgress, progressText } from './progress.js';
import { ask, interactive } from './prompt.js';

interface ReplayOptions extends HubOptions, FilterOptions {
  all?: boolean;
  confirm?: string;
}

/** `cpisx failed replay <id>` or `--all [filters]`: back on the queue, as an operator. */
export function replayCommand(): Command {
  const command = new Command('replay')
    .description('replay one failed message, or with --all every one the filters match (operator)')
    .argument('[id]', 'message id')
    .option('--all', 'replay every failed message the filters match')
    .option('--confirm <text>', 'for scripts: "REPLAY <n>", n being how many match (asked for on a terminal)');
  return withHubOptions(withFilterOptions(command)).action((id: string | undefined, o: ReplayOptions) => {
    if (id && (o.all || isFiltered(o) || o.confirm)) throw usageError('give a message id, or --all with filters, not both');
    if (!id && !o.all) throw usageError('give a message id, or --all to replay every failed message the filters match');
    return withSession(o, (session) => (id ? replayOne(session, id) : replayAll(session, o)));
  });
}

async function replayOne(session: ConsoleSession, id: string): Promise<void> {
  await session.post(messagePath(id, 'replay'));
  printText(`replayed ${id}`);
}

async function replayAll(session: ConsoleSession, o: ReplayOptions): Promise<void> {
  const filter = filterQuery(o);
  const confirm = o.confirm ?? (await typedConfirmation(session, filter));
  const started = await session.post<{ operationId: string; total: number }>('/replay-bulk', { filter, confirm });
  const operation = `/operations/${encodeURIComponent(started.operationId)}`;
  const final = await followProgress(() => session.get<BulkProgress>(operation));
  if (final.state === 'interrupted') {
    throw new CliError('INTERRUPTED', `operation ${started.operationId} stopped part way (${progressText(final)}); the rest are still failed: replay them again`);
  }
  printText(`operation ${started.operationId}: ${progressText(final)}`);
}

/** The hub checks the typed text against what matches when it gets it; this only asks. */
async function typedConfirmation(session: ConsoleSession, filter: ReturnType<typeof filterQuery>): Promise<string> {
  if (!interactive()) throw usageError('not on a terminal: confirm with --confirm "REPLAY <n>", n being how many messages match');
  const { total } = await session.get<FailedPage>('/failed', { ...filter, limit: 1 });
  if (total === 0) throw new CliError('NOT_FOUND', 'no failed messages match; nothing to replay');
  const matching = total === 1 ? '1 failed message matches' : `${total} failed messages match`;
  return ask(`${matching}. Type "REPLAY ${total}" to replay ${total === 1 ? 'it' : 'them'}: `);
}
