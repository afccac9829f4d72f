import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConsoleKeys } from './keys.js';

/** How the chain is broken at its first break. */
export type ChainProblem = 'changed' | 'removed' | 're-ordered';

/** The first entry the chain fails at (or, for a cut-off end, the last one the anchor names), when it was written, and what is wrong. */
export interface ChainBreak {
  id: string;
  at?: string;
  problem: ChainProblem;
  detail: string;
}

/** `count`: the entries that verified before the break; `anchored`: whether the tail has an anchor yet. */
export type ChainCheck =
  | { ok: true; count: number; anchored: boolean }
  | { ok: false; count: number; anchored: boolean; broken: ChainBreak };

type Entry = [id: string, fields: string[]];

interface Anchor {
  hash: string;
  count: number;
  id: string;
  at: string;
  /** The log's last entry when an append found the anchor deleted, and when that was. */
  lost?: { id: string; at: string };
}

const PAGE = 500;

export function chainHash(prev: string, event: string): string {
  return createHash('sha256').update(prev).update('\n').update(event).digest('hex');
}

export function fieldMap(fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) out[fields[i]] = fields[i + 1];
  return out;
}

/**
 * Walks the stream from its first entry. The anchor is read first, so entries appended
 * during the walk lie beyond it and are checked as links only; the anchor's own entry
 * must be reached, with its hash and count, or the end was cut off. Entries written under
 * an anchor are marked, so an anchor deleted (with the end, perhaps) is a break too: while
 * it is missing, and once an append has set it again (it keeps the entry it found last).
 */
export async function verifyChain(redis: Redis, keys: ConsoleKeys): Promise<ChainCheck> {
  const anchor = readAnchor(await redis.hgetall(keys.auditAnchor()));
  const anchored = anchor !== undefined;
  let prev = '';
  let count = 0;
  let last: Entry | undefined;
  let reached = !anchor;
  for await (const entry of entries(redis, keys.audit())) {
    const hash = fieldMap(entry[1]).hash;
    const broken = (await linkBreak(redis, keys, entry, prev))
      ?? (entry[0] === anchor?.id ? anchorBreak(anchor, hash, count + 1) : undefined)
      ?? (entry[0] === anchor?.lost?.id ? lostAnchor(entry[0], eventTime(fieldMap(entry[1]).event), anchor.lost) : undefined);
    if (broken) return { ok: false, count, anchored, broken };
    [prev, last, count, reached] = [hash, entry, count + 1, reached || entry[0] === anchor?.id];
  }
  if (anchor?.lost) return { ok: false, count, anchored, broken: lostAnchor(anchor.lost.id, undefined, anchor.lost) };
  if (!anchor && last && fieldMap(last[1]).anchored) {
    const detail = 'the anchor is gone, though this entry was written under one: entries after it may have been cut off';
    return { ok: false, count, anchored, broken: { id: last[0], at: eventTime(fieldMap(last[1]).event), problem: 'removed', detail } };
  }
  if (reached || !anchor) return { ok: true, count, anchored };
  const end = last ? `the chain ends after ${count} entries, at ${last[0]}` : 'the log is empty';
  return { ok: false, count, anchored, broken: atAnchor(anchor, 'removed', `${end}; its anchor holds ${anchor.count} entries ending at ${anchor.id}, which is gone`) };
}

/** At the entry that was last when an append found the anchor deleted (or where it was, if it is gone too). */
function lostAnchor(id: string, at: string | undefined, lost: NonNullable<Anchor['lost']>): ChainBreak {
  const detail = `the anchor was deleted after this entry and set again at ${lost.at}: entries after it may have been cut off`;
  return { id, ...(at ? { at } : {}), problem: 'removed', detail };
}

function anchorBreak(anchor: Anchor, hash: string, count: number): ChainBreak | undefined {
  if (hash !== anchor.hash) return atAnchor(anchor, 'changed', 'the anchor holds another hash for this entry');
  if (count !== anchor.count) return atAnchor(anchor, 'removed', `the chain has ${count} entries up to here; its anchor says ${anchor.count}`);
  return undefined;
}

/** What is wrong with this entry as the successor of the entry whose hash is `prev`, if anything. */
async function linkBreak(redis: Redis, keys: ConsoleKeys, [id, fields]: Entry, prev: string): Promise<ChainBreak | undefined> {
  const f = fieldMap(fields);
  const at = eventTime(f.event);
  if (f.hash !== chainHash(f.prev ?? '', f.event ?? '')) return { id, at, problem: 'changed', detail: 'its content does not match its hash' };
  if (f.prev === prev) return undefined;
  const before = f.prev ? await findByHash(redis, keys, f.prev, id) : undefined;
  if (before) return { id, at, problem: 're-ordered', detail: `it follows entry ${before}, which is elsewhere in the log` };
  const what = prev ? 'the entry before it' : 'the entries before it';
  return { id, at, problem: 'removed', detail: `${what} ${prev ? 'is' : 'are'} missing (removed, or changed and re-hashed)` };
}

/** Only when the chain is broken: a second walk for the entry with this hash, not this one. */
async function findByHash(redis: Redis, keys: ConsoleKeys, hash: string, not: string): Promise<string | undefined> {
  for await (const [id, fields] of entries(redis, keys.audit())) {
    if (id !== not && fieldMap(fields).hash === hash) return id;
  }
  return undefined;
}

async function* entries(redis: Redis, key: string): AsyncGenerator<Entry> {
  let start = '-';
  for (;;) {
    const page = (await redis.xrange(key, start, '+', 'COUNT', PAGE)) as Entry[];
    yield* page;
    if (page.length < PAGE) return;
    start = `(${page[page.length - 1][0]}`;
  }
}

function readAnchor(fields: Record<string, string>): Anchor | undefined {
  if (fields.hash === undefined) return undefined;
  const lost = fields.lost === undefined ? {} : { lost: { id: fields.lost, at: fields.lostAt } };
  return { hash: fields.hash, count: Number(fields.count), id: fields.id, at: fields.at, ...lost };
}

function atAnchor(anchor: Anchor, problem: ChainProblem, detail: string): ChainBreak {
  return { id: anchor.id, at: anchor.at, problem, detail };
}

function eventTime(event: string | undefined): string | undefined {
  try {
    const at = (JSON.parse(event ?? '') as { at?: unknown }).at;
    return typeof at === 'string' ? at : undefined;
  } catch {
    return undefined;
  }
}
