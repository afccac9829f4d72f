import type { Redis } from 'ioredis';
import { QueryKeys } from './keys.js';

/** Over a year, so a yearly information-governance audit can look back across all of it. */
const KEPT_MS = 400 * 24 * 3600 * 1000;

/** The query surfaces, as the audit and the metrics name them. */
export type QueryApi = 'fhir-careteam' | 'fhir-auditevent' | 'hl7v3';

/**
 * One query, answered or refused: who asked (client, organisation, user), about whom,
 * scheduled or not, and what was returned as counts, never content. `outcome` is `ok` or
 * the refusal's code, the same code the API answered with.
 */
export interface QueryAuditEntry {
  at: string;
  api: QueryApi;
  client: string;
  organisation: string;
  user?: string;
  userId?: string;
  roleProfileId?: string;
  queryId?: string;
  nhsNumber?: string;
  unscheduled?: boolean;
  outcome: string;
  plans?: number;
  accesses?: number;
  /** The hub message id the query's notification orders derive from, when it recorded a view. */
  messageId?: string;
}

export interface QueryAuditFilter {
  client?: string;
  nhsNumber?: string;
  limit?: number;
}

/**
 * The query audit: a Redis stream, entries kept for 400 days. It holds NHS numbers,
 * as the register does, so it is read through the console like the register, never logged.
 */
export class QueryAudit {
  private readonly keys: QueryKeys;

  constructor(private readonly redis: Redis, prefix: string) {
    this.keys = new QueryKeys(prefix);
  }

  async record(entry: QueryAuditEntry): Promise<void> {
    const oldest = Date.now() - KEPT_MS;
    await this.redis.xadd(this.keys.audit(), 'MINID', '~', String(oldest), '*', 'entry', JSON.stringify(entry));
  }

  /**
   * Records the entry unless one was recorded for the same `repeat` within `windowMs`: a
   * client hammering past its rate limit is on the audit once per window, not once per
   * request, so refusals cannot grow the audit faster than answers can (the metrics count each).
   */
  async recordOncePer(repeat: string, windowMs: number, entry: QueryAuditEntry): Promise<void> {
    const first = await this.redis.set(this.keys.repeat(repeat), '1', 'PX', Math.max(1, Math.round(windowMs)), 'NX');
    if (first === 'OK') await this.record(entry);
  }

  /** Newest first; a filter reads back through at most the latest 100,000 entries. */
  async list(filter: QueryAuditFilter = {}): Promise<QueryAuditEntry[]> {
    const limit = Math.min(filter.limit ?? 100, 1000);
    const found: QueryAuditEntry[] = [];
    let end = '+';
    for (let page = 0; page < 100 && found.length < limit; page++) {
      const rows = await this.redis.xrevrange(this.keys.audit(), end, '-', 'COUNT', 1000);
      for (const [, fields] of rows) {
        const entry = JSON.parse(fields[1]) as QueryAuditEntry;
        if (matches(entry, filter) && found.length < limit) found.push(entry);
      }
      if (rows.length < 1000) break;
      end = `(${rows[rows.length - 1][0]}`;
    }
    return found;
  }
}

function matches(entry: QueryAuditEntry, filter: QueryAuditFilter): boolean {
  return (filter.client === undefined || entry.client === filter.client)
    && (filter.nhsNumber === undefined || entry.nhsNumber === filter.nhsNumber);
}
