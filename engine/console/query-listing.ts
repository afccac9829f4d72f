import type { FastifyRequest } from 'fastify';
import { checkNhsNumber } from '../cpis/nhs-number.js';
import type { QueryAudit, QueryAuditEntry, QueryAuditFilter } from '../query/query-audit.js';
import { ConsoleError } from './errors.js';
import { maskNhsNumber } from './masking.js';

/**
 * The point-of-care query audit as staff read it: who asked about whom, from where, newest
 * first, scheduled (silent) reads included. NHS numbers come masked, for every role, as
 * everywhere in the console; whoever searches by one already holds it.
 */
export async function listQueries(audit: QueryAudit, filter: QueryAuditFilter): Promise<{ items: QueryAuditEntry[] }> {
  if (filter.nhsNumber !== undefined) {
    // A mistyped number would find nothing and read as "nobody looked"; refuse it instead.
    const check = checkNhsNumber(filter.nhsNumber);
    if (!check.valid) throw new ConsoleError('INVALID_NHS_NUMBER', check.reason);
  }
  return { items: (await audit.list(filter)).map(masked) };
}

function masked(entry: QueryAuditEntry): QueryAuditEntry {
  return entry.nhsNumber === undefined ? entry : { ...entry, nhsNumber: maskNhsNumber(entry.nhsNumber) };
}

/** A search by NHS number names a patient, so it is audited, a refused one too. */
export function searchesNhsNumber(req: FastifyRequest): boolean {
  return (req.query as Record<string, unknown> | undefined)?.nhsNumber !== undefined;
}

/** What was searched for, the number masked, as sent (for the audit of a refusal too). */
export function searchGiven(req: FastifyRequest): string {
  const { nhsNumber, client } = (req.query ?? {}) as { nhsNumber?: unknown; client?: unknown };
  const number = typeof nhsNumber === 'string' ? maskNhsNumber(nhsNumber) : '(not one number)';
  return `NHS number ${number}${typeof client === 'string' ? `, client ${client}` : ''}`;
}
