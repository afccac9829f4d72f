import type { FailedMessage } from './failed-messages.js';

/** What staff narrow failed messages by; every field optional, all given fields must hold. */
export interface FailedFilter {
  workflow?: string;
  sender?: string;
  recipient?: string;
  reason?: string;
  /** Failed at or after. */
  from?: Date;
  /** Failed at or before. */
  to?: Date;
  /** Exactly a message id, a local id or an NHS number (spaces and dashes ignored). */
  q?: string;
  sort?: 'failedAt' | 'receivedAt';
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

/** What the filter reads of a failed message: its metadata and, when known, the NHS numbers its text names. */
type Candidate = Omit<FailedMessage, 'attempts'> & { nhsNumbers?: string[] };

const compact = (q: string) => q.replace(/[\s-]+/g, '');

export function matchesFilter(m: Candidate, f: FailedFilter): boolean {
  const failedAt = m.failedAt ? Date.parse(m.failedAt) : undefined;
  return (!f.workflow || m.workflowId === f.workflow)
    && (!f.sender || m.from === f.sender)
    && (!f.recipient || m.to === f.recipient)
    && (!f.reason || m.reason === f.reason)
    && (!f.from || (failedAt !== undefined && failedAt >= f.from.getTime()))
    && (!f.to || (failedAt !== undefined && failedAt <= f.to.getTime()))
    && (!f.q || matchesQuery(m, f.q));
}

function matchesQuery(m: Candidate, q: string): boolean {
  const wanted = q.trim();
  return m.messageId === wanted.toUpperCase() || m.localId === wanted || (m.nhsNumbers ?? []).includes(compact(wanted));
}

/** Newest failure first unless asked otherwise; ties keep id order, so pages are stable. */
export function sortFailed<T extends Candidate>(messages: T[], f: Pick<FailedFilter, 'sort' | 'order'>): T[] {
  const field = f.sort ?? 'failedAt';
  const sign = f.order === 'asc' ? 1 : -1;
  const time = (m: T) => (m[field] ? Date.parse(m[field]!) : 0);
  return [...messages].sort((a, b) => sign * (time(a) - time(b)) || a.messageId.localeCompare(b.messageId));
}
