import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { checkNhsNumber } from '../cpis/nhs-number.js';
import type { Access, RecordResult, RegisterRecord } from '../cpis/types.js';
import { RegisterKeys, VERSION_FIELD } from './keys.js';
import { DEFAULT_ENDED_VISIBLE_MONTHS, decideBatch, recordId, visible, type BatchOutcome, type NumberedRecord } from '../cpis/register/rules.js';
import { RegisterError, type LaContacts, type Register, type Upload } from './register.js';
import { defineRegisterScripts } from './scripts.js';

export interface RegisterOptions {
  keys?: RegisterKeys;
  /** Records per read-decide-commit round: one read script and one write script each. */
  batchSize?: number;
  /**
   * How long a file's results are kept. A replay within it is answered from them; it
   * must outlast the longest time a file can be replayed (the mailbox keeps content 30 days).
   */
  resultsTtlSeconds?: number;
}

const HISTORY_KEPT = 25;
const SAME_AUTHOR_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Optimistic retries per batch before giving up; contention is per person, so a few suffice. */
const MAX_ATTEMPTS = 20;

/** The register in Redis: each person is one hash, and a batch commits in one script if nobody changed what it read. */
/**
 * An LA's phones change with its uploads, a few times a day at most: a process reads them at
 * most this often, so a flag or a query waits on one Redis round trip fewer. An upload this
 * process applies is seen at once; one applied by another process within this time.
 */
const CONTACTS_TRUSTED_MS = 5_000;

export class RedisRegister implements Register {
  readonly keys: RegisterKeys;
  private readonly batchSize: number;
  private readonly resultsTtlSeconds: number;
  private readonly contactsRead = new Map<string, { contacts: LaContacts | undefined; until: number }>();

  constructor(private readonly redis: Redis, options: RegisterOptions = {}) {
    this.keys = options.keys ?? new RegisterKeys();
    this.batchSize = options.batchSize ?? 1000;
    this.resultsTtlSeconds = options.resultsTtlSeconds ?? 90 * 24 * 60 * 60;
    defineRegisterScripts(redis);
  }

  async applyPlanUpdate(laOds: string, file: Upload, today: string): Promise<RecordResult[]> {
    const resultsKey = this.keys.results(laOds, file.sequence, uploadDigest(file));
    const results: RecordResult[] = [];
    for (let from = 0; from < file.records.length; from += this.batchSize) {
      const batch = file.records.slice(from, from + this.batchSize).map((record, i) => ({ position: from + i + 1, record }));
      results.push(...await this.applyBatch(resultsKey, file.sequence, batch, laOds, today));
    }
    return results;
  }

  async lookup(nhsNumber: string, today: string, endedVisibleMonths = DEFAULT_ENDED_VISIBLE_MONTHS): Promise<RegisterRecord[]> {
    const { records } = parsePerson(await this.redis.call('HGETALL', this.keys.person(nhsNumber)) as string[]);
    return visible(records, today, endedVisibleMonths).sort(byRecordId);
  }

  async heldBy(nhsNumber: string): Promise<Map<string, RegisterRecord[]>> {
    const { records } = parsePerson(await this.redis.call('HGETALL', this.keys.person(nhsNumber)) as string[]);
    const byLa = new Map<string, RegisterRecord[]>();
    for (const record of records.sort(byRecordId)) byLa.set(record.laOds, [...byLa.get(record.laOds) ?? [], record]);
    return byLa;
  }

  async recordAccess(nhsNumber: string, access: Access): Promise<boolean> {
    const at = Date.parse(access.at);
    if (Number.isNaN(at)) throw new RegisterError('INVALID_ACCESS_TIME', `attendance ${access.attendanceId}: the access time is not a date-time`);
    const author = access.by === undefined ? '' : `${access.careSettingOds}|${access.by}`;
    const added = await this.redis.registerRecordAccess(
      2, this.keys.accesses(nhsNumber), this.keys.accessSeen(nhsNumber),
      seenAs(access), at, author, JSON.stringify([author, access]), HISTORY_KEPT, SAME_AUTHOR_WINDOW_MS,
    );
    return added === 1;
  }

  async setContacts(laOds: string, contacts: LaContacts): Promise<void> {
    const key = this.keys.contacts(laOds);
    const fields = Object.entries(contacts).filter(([, phone]) => phone !== undefined);
    if (fields.length > 0) await this.redis.multi().del(key).hset(key, Object.fromEntries(fields)).exec();
    this.contactsRead.delete(laOds);
  }

  async contacts(laOds: string): Promise<LaContacts | undefined> {
    const read = this.contactsRead.get(laOds);
    if (read && read.until > Date.now()) return read.contacts;
    const fields = await this.redis.hgetall(this.keys.contacts(laOds));
    const contacts = Object.keys(fields).length === 0 ? undefined : fields;
    this.contactsRead.set(laOds, { contacts, until: Date.now() + CONTACTS_TRUSTED_MS });
    return contacts;
  }

  async accesses(nhsNumber: string): Promise<Access[]> {
    const entries = await this.redis.zrevrange(this.keys.accesses(nhsNumber), 0, HISTORY_KEPT - 1);
    return entries.map((e) => (JSON.parse(e) as [string, Access])[1]);
  }

  private async applyBatch(resultsKey: string, sequence: number | string, batch: NumberedRecord[], laOds: string, today: string): Promise<RecordResult[]> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { stored, people } = await this.read(resultsKey, batch);
      const pending = batch.filter((b) => !stored.has(b.position));
      if (pending.length > 0) {
        const outcome = decideBatch(new Map([...people].map(([n, p]) => [n, p.records])), laOds, pending, today);
        if (!await this.commit(resultsKey, people, outcome)) {
          await sleep(Math.random() * Math.min(100, 2 ** attempt));
          continue;
        }
        for (const r of outcome.results) stored.set(r.position, r);
      }
      return batch.map((b) => stored.get(b.position) as RecordResult);
    }
    throw new RegisterError('CONTENDED', `upload ${sequence}: a batch lost ${MAX_ATTEMPTS} optimistic retries`);
  }

  /** False when someone changed what the batch was decided on: read and decide again. */
  private async commit(resultsKey: string, people: Map<string, Person>, outcome: BatchOutcome): Promise<boolean> {
    const numbers = [...people.keys()];
    const index = new Map(numbers.map((n, i) => [n, i + 1]));
    const committed = await this.redis.registerApplyBatch(
      2 + numbers.length, this.keys.clock(), resultsKey, ...numbers.map((n) => this.keys.person(n)),
      this.resultsTtlSeconds, outcome.results.length, VERSION_FIELD,
      ...numbers.map((n) => (people.get(n) as Person).version),
      ...outcome.results.flatMap((r) => [r.position, JSON.stringify(r)]),
      ...outcome.changes.flatMap((c) => [
        index.get(c.record.nhsNumber) as number, recordId(c.record), c.op === 'put' ? JSON.stringify(c.record) : '',
      ]),
    );
    return committed === 1;
  }

  /** The batch's stored results and, when some position is still to apply, everything held for its (valid) NHS numbers. */
  private async read(resultsKey: string, batch: NumberedRecord[]) {
    const numbers = [...new Set(batch.map((b) => b.record.subject.nhsNumber))].filter((n) => checkNhsNumber(n).valid);
    const [results, ...hashes] = await this.redis.registerReadBatch(
      1 + numbers.length, resultsKey, ...numbers.map((n) => this.keys.person(n)), ...batch.map((b) => b.position),
    );
    const stored = new Map<number, RecordResult>();
    results.forEach((r, i) => { if (r !== null) stored.set(batch[i].position, JSON.parse(r)); });
    const people = new Map(hashes.map((flat, i) => [numbers[i], parsePerson(flat)]));
    return { stored, people };
  }
}

/**
 * What makes two accesses the same look: the organisation that looked and its own id for the
 * attendance or query. Each trust (and each query client, through its X-Request-ID or query id)
 * chooses ids alone, so an id is one look only within its organisation; ODS codes hold no '|'.
 *
 * Members written before this scoping are the bare id. Nothing matches them again; they stay,
 * unread, until the history's trimming passes them. Across the upgrade, a retry or replay of
 * an access kept before it is counted again only if it names no author (a named one is caught by
 * the same-author rule): a duplicate line at worst, never a lost access, and no second
 * notification (those are idempotent on the message id, not on this).
 */
const seenAs = (access: Access): string => `${access.careSettingOds}|${access.attendanceId}`;

const byRecordId = (a: RegisterRecord, b: RegisterRecord) => (recordId(a) < recordId(b) ? -1 : 1);

/** What makes two files the same upload: their records, whatever the file's creation time says. */
function uploadDigest(file: Upload): string {
  return createHash('sha256').update(JSON.stringify(file.records)).digest('base64url').slice(0, 22);
}

interface Person {
  version: string;
  records: RegisterRecord[];
}

/** From HGETALL as a flat field, value list (as a script returns it). */
function parsePerson(flat: string[]): Person {
  const person: Person = { version: '0', records: [] };
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i] === VERSION_FIELD) person.version = flat[i + 1];
    else person.records.push(JSON.parse(flat[i + 1]) as RegisterRecord);
  }
  return person;
}
