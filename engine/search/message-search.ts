import type { Redis } from 'ioredis';
import type { StoredMessage } from '../mailbox/message.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { MessageIndex } from './message-index.js';
import type { IndexedField } from './search-keys.js';

/** What staff find messages by; all given fields must hold. */
export interface MessageQuery {
  messageId?: string;
  localId?: string;
  /** Ten digits, as normalised by the caller. */
  nhsNumber?: string;
  workflow?: string;
  from?: string;
  to?: string;
  /** Accepted at or after, ms. */
  since?: number;
  /** Accepted at or before, ms. */
  until?: number;
  limit: number;
  /** From the previous page's `next`. */
  cursor?: string;
}

export interface FoundMessage {
  id: string;
  from: string;
  to: string;
  workflowId: string;
  localId?: string;
  status: StoredMessage['status'];
  acceptedAt: string;
  acknowledgedAt?: string;
  size: number;
}

export interface SearchPage {
  items: FoundMessage[];
  /** Present when more matches may follow: pass it back as `cursor`. */
  next?: string;
}

/**
 * Candidates read in the first step from the smallest set while the other fields thin them
 * out; each further step doubles, up to the largest, so fields that barely overlap cost a
 * few round trips rather than one per step.
 */
const FIRST_STEP = 500;
const LARGEST_STEP = 8000;
/** The most candidates one page reads, so a search whose fields barely overlap answers in bounded time (with a cursor). */
const MAX_SCANNED = 50_000;

/**
 * Searches the index newest first. The field set with the fewest members in the window
 * drives; each step of its ids is checked against the other fields with ZMSCORE. A message
 * id needs no index: the store finds it directly.
 */
export class MessageSearch {
  constructor(
    private readonly redis: Redis,
    private readonly index: MessageIndex,
    private readonly store: MailboxStore,
  ) {}

  async search(query: MessageQuery, now = Date.now()): Promise<SearchPage> {
    const min = Math.max(query.since ?? 0, now - this.index.retentionMs);
    const window = { min, max: query.until ?? now };
    if (query.messageId) return this.byId(query, window);
    const sets = this.fieldSets(query);
    const counts = await Promise.all(sets.map((key) => this.redis.zcount(key, window.min, window.max)));
    const order = sets.map((key, i) => ({ key, count: counts[i] })).sort((a, b) => a.count - b.count);
    if (order[0].count === 0) return { items: [] };
    return this.walk(order[0].key, order.slice(1).map((o) => o.key), window, query);
  }

  private fieldSets(query: MessageQuery): string[] {
    const { keys } = this.index;
    const given: [IndexedField, string | undefined][] = [
      ['nhsNumber', query.nhsNumber], ['localId', query.localId], ['workflow', query.workflow], ['from', query.from], ['to', query.to],
    ];
    const sets = given.flatMap(([field, value]) => (value ? [keys.field(field, value)] : []));
    return sets.length ? sets : [keys.all()];
  }

  private async walk(driver: string, others: string[], window: Window, query: MessageQuery): Promise<SearchPage> {
    const after = parseCursor(query.cursor);
    // Where the next step starts: at this score, past the members at it already read.
    let max = after ? after.score : window.max;
    let offset = 0;
    let last: Cursor | undefined;
    const found: FoundMessage[] = [];
    let step = FIRST_STEP;
    for (let scanned = 0; scanned < MAX_SCANNED; step = Math.min(step * 2, LARGEST_STEP)) {
      const page = pairs(await this.redis.zrevrangebyscore(driver, max, window.min, 'WITHSCORES', 'LIMIT', offset, step));
      // Equal scores come in reverse id order, so the cursor's id says which of them earlier pages gave.
      const fresh = page.filter((c) => !after || c.score < after.score || c.id < after.id);
      const kept = await this.inAll(fresh.map((c) => c.id), others);
      const matches = fresh.filter((c) => kept.has(c.id));
      // Read as many as the page still wants at a time: an id with no message (see describe) gives way to the next.
      for (let i = 0; i < matches.length;) {
        const batch = matches.slice(i, i + query.limit - found.length);
        i += batch.length;
        const messages = await this.describe(batch.map((c) => c.id));
        found.push(...messages);
        if (found.length === query.limit) return { items: found, next: cursorOf(batch[batch.length - 1]) };
      }
      scanned += page.length;
      if (page.length < step) return { items: found };
      last = page[page.length - 1];
      // Stepping by offset within one score, so a burst in one millisecond longer than a step still moves on.
      const atLast = page.filter((c) => c.score === last!.score).length;
      offset = last.score === max ? offset + atLast : atLast;
      max = last.score;
    }
    return { items: found, ...(last ? { next: cursorOf(last) } : {}) };
  }

  /** The ids that are in every one of the other sets. */
  private async inAll(ids: string[], others: string[]): Promise<Set<string>> {
    if (ids.length === 0 || others.length === 0) return new Set(ids);
    const pipeline = this.redis.pipeline();
    for (const key of others) pipeline.zmscore(key, ...ids);
    const scores = ((await pipeline.exec()) ?? []).map(([, r]) => r as (string | null)[]);
    return new Set(ids.filter((_, i) => scores.every((s) => s[i] !== null)));
  }

  private async byId(query: MessageQuery, window: Window): Promise<SearchPage> {
    if (query.cursor) return { items: [] };
    const id = query.messageId!.trim().toUpperCase();
    const score = await this.redis.zscore(this.index.keys.all(), id);
    if (score === null || Number(score) < window.min || Number(score) > window.max) return { items: [] };
    const kept = await this.inAll([id], this.fieldSets(query).filter((k) => k !== this.index.keys.all()));
    return { items: kept.has(id) ? await this.describe([id]) : [] };
  }

  /**
   * What staff see of each match. An id whose message the store does not hold is left out:
   * purged since, or indexed by a send that never stored it (the index is written first).
   */
  private async describe(ids: string[]): Promise<FoundMessage[]> {
    const messages = await Promise.all(ids.map((id) => this.store.locate(id)));
    return messages.flatMap((m) => (m ? [{
      id: m.id, from: m.from, to: m.to, workflowId: m.workflowId, ...(m.localId ? { localId: m.localId } : {}),
      status: m.status, acceptedAt: new Date(m.acceptedAt ?? m.createdAt).toISOString(),
      ...(m.acknowledgedAt ? { acknowledgedAt: new Date(m.acknowledgedAt).toISOString() } : {}), size: m.size,
    }] : []));
  }
}

interface Window { min: number; max: number }
interface Cursor { score: number; id: string }

function pairs(flat: string[]): Cursor[] {
  const out: Cursor[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push({ id: flat[i], score: Number(flat[i + 1]) });
  return out;
}

const cursorOf = (c: Cursor) => `${c.score}:${c.id}`;

/** A cursor that does not read as one starts from the top rather than failing: it only ever came from us. */
function parseCursor(cursor: string | undefined): Cursor | undefined {
  const match = cursor?.match(/^(\d+):(.+)$/);
  return match ? { score: Number(match[1]), id: match[2] } : undefined;
}
