import type { Redis, Result } from 'ioredis';
import type { ConsoleErrorCode } from './errors.js';
import { chainHash, fieldMap, verifyChain, type ChainCheck } from './audit-chain.js';
import type { ConsoleKeys } from './keys.js';
import { defineScript } from '../redis/scripts.js';

export const AUDIT_ACTIONS = ['login', 'logout', 'replay', 'replay-bulk', 'replay-bulk-finished', 'discard', 'edit-replay', 'unmask', 'nhs-number-superseded', 'queries-by-nhs-number', 'messages-by-nhs-number', 'unlock'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did what to which messages, from where, and how it ended (`ok` or the refusal's code). */
export interface AuditEvent {
  at: string;
  user: string;
  ip: string;
  action: AuditAction;
  messageIds: string[];
  outcome: 'ok' | ConsoleErrorCode;
  detail?: string;
}

export interface AuditEntry extends AuditEvent {
  id: string;
}

export type { ChainBreak, ChainCheck, ChainProblem } from './audit-chain.js';

export interface AuditFilter {
  user?: string;
  action?: string;
  messageId?: string;
  from?: Date;
  to?: Date;
  offset?: number;
  limit?: number;
}

/**
 * Appends only if the chain's head is still the one the caller chained to (another
 * process may have appended meanwhile), moves the anchor to the new entry in the same
 * step, and indexes the entry by message. The head is the anchor's hash. Each entry is
 * marked as written under an anchor. Without an anchor, the log is anchored here at its
 * last entry: a log from before anchors silently; a log whose last entry is marked had its
 * anchor deleted, so the new anchor keeps that entry as `lost` (and when it was found), a
 * break `verify` reports from then on.
 * KEYS: stream, anchor, then one index list per message id. ARGV: previous hash, event, hash, time.
 */
const APPEND = `
local head = redis.call('HGET', KEYS[2], 'hash')
local count = tonumber(redis.call('HGET', KEYS[2], 'count'))
if not head then
  head = ''
  count = redis.call('XLEN', KEYS[1])
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
  if #last > 0 then
    local fields = last[1][2]
    for i = 1, #fields, 2 do
      if fields[i] == 'hash' then head = fields[i + 1] end
      if fields[i] == 'anchored' then redis.call('HSET', KEYS[2], 'lost', last[1][1], 'lostAt', ARGV[4]) end
    end
  end
end
if head ~= ARGV[1] then return false end
local id = redis.call('XADD', KEYS[1], '*', 'event', ARGV[2], 'prev', ARGV[1], 'hash', ARGV[3], 'anchored', '1')
redis.call('HSET', KEYS[2], 'hash', ARGV[3], 'count', count + 1, 'id', id, 'at', ARGV[4])
for i = 3, #KEYS do redis.call('RPUSH', KEYS[i], id) end
return id`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    consoleAuditAppend(numberOfKeys: number, ...args: string[]): Result<string | null, Context>;
  }
}

const PAGE = 500;
const MAX_RACES = 100;

/**
 * The audit log: a Redis stream where each entry carries the hash of the one before,
 * so editing or removing an entry breaks the chain that `verify` walks, and an anchor
 * (a separate key) holds the last entry's hash, so cutting entries off the end, or
 * deleting the stream, is seen too. This class has no way to change or remove an entry.
 */
export class AuditLog {
  constructor(private readonly redis: Redis, private readonly keys: ConsoleKeys) {
    defineScript(redis, 'consoleAuditAppend', APPEND);
  }

  async append(event: AuditEvent): Promise<string> {
    const json = JSON.stringify(event);
    const keys = [this.keys.audit(), this.keys.auditAnchor(), ...[...new Set(event.messageIds)].map((m) => this.keys.auditByMessage(m))];
    for (let race = 0; race < MAX_RACES; race++) {
      const prev = await this.head();
      const id = await this.redis.consoleAuditAppend(keys.length, ...keys, prev, json, chainHash(prev, json), event.at);
      if (id) return id;
    }
    throw new Error('audit append lost too many races');
  }

  /** Newest first. */
  async list(filter: AuditFilter = {}): Promise<{ total: number; items: AuditEntry[] }> {
    const { offset = 0, limit = 50 } = filter;
    const matching = (await this.candidates(filter)).filter((e) => matches(e, filter));
    return { total: matching.length, items: matching.slice(offset, offset + limit) };
  }

  /** Walks the whole chain from the first entry to the anchor; the first break, if any. */
  verify(): Promise<ChainCheck> {
    return verifyChain(this.redis, this.keys);
  }

  private async head(): Promise<string> {
    const anchored = await this.redis.hget(this.keys.auditAnchor(), 'hash');
    if (anchored !== null) return anchored;
    const [last] = await this.redis.xrevrange(this.keys.audit(), '+', '-', 'COUNT', 1);
    return last ? fieldMap(last[1]).hash ?? '' : '';
  }

  /** Entries of one message through its index, or else the time range; newest first. */
  private async candidates(filter: AuditFilter): Promise<AuditEntry[]> {
    if (filter.messageId) {
      const ids = await this.redis.lrange(this.keys.auditByMessage(filter.messageId), 0, -1);
      const pipeline = this.redis.pipeline();
      for (const id of ids.reverse()) pipeline.xrange(this.keys.audit(), id, id);
      const pages = ((await pipeline.exec()) ?? []).map(([, page]) => page as [string, string[]][]);
      return pages.flat().map(toEntry);
    }
    const entries: AuditEntry[] = [];
    let end = filter.to ? String(filter.to.getTime()) : '+';
    const start = filter.from ? String(filter.from.getTime()) : '-';
    for (;;) {
      const page = await this.redis.xrevrange(this.keys.audit(), end, start, 'COUNT', PAGE);
      entries.push(...page.map(toEntry));
      if (page.length < PAGE) return entries;
      end = `(${page[page.length - 1][0]}`;
    }
  }
}

function toEntry([id, fields]: [string, string[]]): AuditEntry {
  return { id, ...(JSON.parse(fieldMap(fields).event) as AuditEvent) };
}

function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  const at = Date.parse(entry.at);
  return (!filter.user || entry.user === filter.user)
    && (!filter.action || entry.action === filter.action)
    && (!filter.from || at >= filter.from.getTime())
    && (!filter.to || at <= filter.to.getTime());
}
