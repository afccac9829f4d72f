import { InvalidArgumentError, Option, type Command } from 'commander';
import { PROCESSING_ERRORS } from '../../engine/pipeline/processing-error.js';
import type { Query } from './console-session.js';

/** The hub's failure reasons, the codes its console lists in /console/api/vocabulary. */
const REASONS = Object.keys(PROCESSING_ERRORS);

/** The API's failed-message filter, as `failed list` and `failed replay --all` take it. */
export interface FilterOptions {
  workflow?: string;
  sender?: string;
  recipient?: string;
  reason?: string;
  from?: string;
  to?: string;
  search?: string;
}

export function withFilterOptions(command: Command): Command {
  return command
    .option('--workflow <id>', 'workflow id, e.g. CPIS_ATTENDANCE')
    .option('--sender <mailbox>', 'sending mailbox')
    .option('--recipient <mailbox>', 'receiving mailbox')
    .addOption(new Option('--reason <code>', `code of the last failure: ${REASONS.join(', ')}`).argParser(reason))
    .option('--from <time>', 'failed at or after (ISO date and time)')
    .option('--to <time>', 'failed at or before (ISO date and time)')
    .option('--search <text>', 'exact message id, local id or NHS number');
}

/** A reason the hub never gives would match nothing: a mistyped one is a usage error, not an empty list. */
function reason(value: string): string {
  const code = value.trim().toUpperCase();
  if (!REASONS.includes(code)) throw new InvalidArgumentError(`The failure reasons are ${REASONS.join(', ')}.`);
  return code;
}

/** `failed list` also sorts and pages. */
export function withPageOptions(command: Command): Command {
  return command
    .addOption(new Option('--sort <field>', 'sort by').choices(['failedAt', 'receivedAt']))
    .addOption(new Option('--order <order>', 'sort order').choices(['asc', 'desc']))
    .option('--limit <n>', 'how many to show (1-500, default 50)')
    .option('--offset <n>', 'how many to skip');
}

/** In the API's names: `--search` is `q`. */
export function filterQuery(o: FilterOptions): Query {
  return { workflow: o.workflow, sender: o.sender, recipient: o.recipient, reason: o.reason, from: o.from, to: o.to, q: o.search };
}

export function isFiltered(o: FilterOptions): boolean {
  return Object.values(filterQuery(o)).some((v) => v !== undefined);
}
