import type { ConsoleErrorCode } from '../../engine/console/errors.js';
import type { FhirIssueCode } from '../../engine/cpis/fhir/operation-outcome.js';

/** The APIs' codes (console, CP-IS query), and what only the command line can run into. */
export type CliCode = ConsoleErrorCode | FhirIssueCode | 'INVALID_CLIENT' | 'CONFIG_INVALID' | 'USAGE' | 'UNREACHABLE' | 'BAD_ANSWER' | 'CANCELLED' | 'PASSWORD_MISMATCH' | 'INTERRUPTED' | 'NOT_NOTIFIED'
  | 'CHAIN_BROKEN' | 'WEAK_PASSWORD';

/** What a command failed with: printed as `cpisx: CODE: message`, exiting with `exitCode`. */
export class CliError extends Error {
  constructor(readonly code: CliCode, message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** The command was given wrongly: exit 2, like the shell's own usage errors. */
export function usageError(message: string): CliError {
  return new CliError('USAGE', message, 2);
}
