import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RegisterKeys } from '../../engine/register/keys.js';
import { RedisRegister, type RegisterOptions } from '../../engine/register/redis-register.js';
import type { Access, PlanRecord } from '../../engine/cpis/types.js';
import { REDIS_URL } from '../support/hub.js';
import { CHILD, MOTHER, OTHER_CHILD, TODAY, file, held, nhsNumbers, plan } from '../cpis/register/fixtures.js';

const LA = '706';
const OTHER_LA = '709';
const prefix = `test:reg:${randomUUID().slice(0, 8)}:`;
const connections: Redis[] = [];
let register: RedisRegister;

function connect(): Redis {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return redis;
}

/** A register of its own connection, as a second hub process would have. */
function anotherProcess(options: RegisterOptions = {}): RedisRegister {
  return new RedisRegister(connect(), { keys: new RegisterKeys(prefix), ...options });
}

/** Every key of this file's prefix with its content, to compare whole states. */
async function snapshot(): Promise<Record<string, unknown>> {
  const redis = connections[0];
  const keys = (await redis.keys(`${prefix}*`)).sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const type = await redis.type(k);
    out[k] = type === 'hash' ? await redis.hgetall(k) : type === 'zset' ? await redis.zrange(k, 0, -1, 'WITHSCORES') : await redis.get(k);
  }
  return out;
}

beforeAll(() => { register = anotherProcess(); });
afterEach(async () => {
  const keys = await connections[0].keys(`${prefix}*`);
  if (keys.length > 0) await connections[0].del(...keys);
});
afterAll(async () => { await Promise.all(connections.map((c) => c.quit())); });

const codes = (results: { code: string; detail?: string }[]) => results.map((r) => r.detail ?? r.code);

describe('applyPlanUpdate', () => {
  test('uploads plans, one result per record in file order', async () => {
    const results = await register.applyPlanUpdate(LA, file(1, [plan('upsert'), plan('upsert', { type: 'UCPP', localId: 'U1' })]), TODAY);
    expect(results).toEqual([
      { position: 1, localId: 'L1', code: 'CPR06' },
      { position: 2, localId: 'U1', code: 'CPR06' },
    ]);
    expect(await register.lookup(CHILD, TODAY)).toEqual([held(LA)]);
    expect(await register.lookup(MOTHER, TODAY)).toMatchObject([{ type: 'UCPP', role: 'mother', laOds: LA }]);
  });

  test('ends a plan; deletes one so it is gone at once', async () => {
    await register.applyPlanUpdate(LA, file(1, [plan('upsert'), plan('upsert', { type: 'LAC', localId: 'C1' })]), TODAY);
    const results = await register.applyPlanUpdate(LA, file(2, [
      plan('end', { plan: { end: '2025-06-01' } }),
      plan('delete', { type: 'LAC', localId: 'C1', plan: { deleteDate: TODAY } }),
    ]), TODAY);
    expect(codes(results)).toEqual(['CPR06', 'CPR06']);
    expect(await register.lookup(CHILD, TODAY)).toEqual([held(LA, { end: '2025-06-01' })]);
    await register.applyPlanUpdate(LA, file(3, [plan('delete')]), TODAY);
    expect(await register.lookup(CHILD, TODAY)).toEqual([]);
    expect(await snapshot()).not.toHaveProperty(register.keys.person(CHILD));
  });

  test('an LA cannot end or delete another LA\'s record, and holds its own beside it', async () => {
    await register.applyPlanUpdate(LA, file(1, [plan('upsert')]), TODAY);
    const results = await register.applyPlanUpdate(OTHER_LA, file(1, [
      plan('end', { plan: { end: TODAY } }),
      plan('delete'),
      plan('upsert'),
    ], OTHER_LA), TODAY);
    expect(codes(results)).toEqual(['OWNED_BY_ANOTHER_LA', 'OWNED_BY_ANOTHER_LA', 'CPR06']);
    expect(await register.lookup(CHILD, TODAY)).toEqual([held(LA), held(OTHER_LA)]);
  });

  test('heldBy: every record for a number per LA, the ones ended past the visibility window too', async () => {
    await register.applyPlanUpdate(LA, file(1, [plan('upsert', { type: 'LAC', localId: 'C1' }), plan('upsert', { plan: { start: '2020-01-10', end: '2021-01-10' } })]), TODAY);
    await register.applyPlanUpdate(OTHER_LA, file(1, [plan('upsert', { localId: 'B1' })], OTHER_LA), TODAY);
    expect((await register.lookup(CHILD, TODAY)).map((r) => r.localId)).toEqual(['C1', 'B1']);
    expect(await register.heldBy(CHILD)).toEqual(new Map([
      [LA, [held(LA, { start: '2020-01-10', end: '2021-01-10' }), held(LA, { type: 'LAC', localId: 'C1' })]],
      [OTHER_LA, [held(OTHER_LA, { localId: 'B1' })]],
    ]));
    expect(await register.heldBy(OTHER_CHILD)).toEqual(new Map());
  });

  test('invalid records are rejected with a detail and a reason; the valid ones load', async () => {
    const results = await register.applyPlanUpdate(LA, file(1, [
      plan('upsert', { subject: { nhsNumber: '9689177622' } }),
      plan('upsert', { type: 'UCPP', subject: { nhsNumber: CHILD, role: 'child' } }),
      plan('upsert', { plan: { end: '2024-12-31' } }),
      plan('upsert', { localId: 'OK' }),
      plan('end', { localId: 'NOPE', type: 'LAC', plan: { end: TODAY } }),
    ]), TODAY);
    expect(codes(results)).toEqual(['INVALID_NHS_NUMBER', 'WRONG_SUBJECT_ROLE', 'END_BEFORE_START', 'CPR06', 'NOT_FOUND']);
    expect(results.filter((r) => r.code === 'CPR07').every((r) => r.reason)).toBe(true);
    expect(await register.lookup(CHILD, TODAY)).toEqual([held(LA, { localId: 'OK' })]);
  });

  test('a batch sees the batches before it; results span batches in order', async () => {
    const small = anotherProcess({ batchSize: 3 });
    const records = [0, 1, 2, 3, 4, 5, 6].map((i) => (i % 2 === 0
      ? plan('upsert', { localId: `P${i}` })
      : plan('end', { localId: `P${i - 1}`, plan: { end: '2025-02-01' } })));
    const results = await small.applyPlanUpdate(LA, file(1, records), TODAY);
    expect(results.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(codes(results)).toEqual(Array(7).fill('CPR06'));
    expect((await register.lookup(CHILD, TODAY)).filter((r) => r.end === undefined).map((r) => r.localId)).toEqual(['P6']);
  });
});

describe('exactly once', () => {
  const records = [plan('upsert'), plan('upsert', { localId: 'L2' }), plan('upsert', { subject: { nhsNumber: '1' } })];

  test('re-applying the same file gives identical results and leaves the state unchanged', async () => {
    const first = await register.applyPlanUpdate(LA, file(5, records), TODAY);
    const state = await snapshot();
    expect(await anotherProcess().applyPlanUpdate(LA, file(5, records), TODAY)).toEqual(first);
    expect(await snapshot()).toEqual(state);
  });

  test('a replay after later changes answers from the stored results and undoes nothing', async () => {
    const first = await register.applyPlanUpdate(LA, file(5, [plan('upsert')]), TODAY);
    await register.applyPlanUpdate(LA, file(6, [plan('end', { plan: { end: TODAY } })]), TODAY);
    expect(await register.applyPlanUpdate(LA, file(5, [plan('upsert')]), '2025-06-20')).toEqual(first);
    expect(await register.lookup(CHILD, TODAY)).toEqual([held(LA, { end: TODAY })]);
  });

  test('a retry after a crash mid-file applies only the positions not yet applied', async () => {
    const whole = [plan('upsert', { localId: 'A' }), plan('end', { localId: 'A', plan: { end: TODAY } }), plan('upsert', { localId: 'B' }), plan('delete', { localId: 'A' })];
    const connection = connect();
    const crashing = new RedisRegister(connection, { keys: new RegisterKeys(prefix), batchSize: 2 });
    const commit = connection.registerApplyBatch.bind(connection);
    let commits = 0;
    // The connection dies after the first batch commits, as a killed worker's would.
    connection.registerApplyBatch = ((...args: Parameters<typeof commit>) => (++commits > 1 ? Promise.reject(new Error('connection lost')) : commit(...args))) as typeof commit;
    await expect(crashing.applyPlanUpdate(LA, file(9, whole), TODAY)).rejects.toThrow('connection lost');
    expect(await register.lookup(CHILD, TODAY)).toEqual([held(LA, { localId: 'A', end: TODAY })]);
    const results = await anotherProcess({ batchSize: 2 }).applyPlanUpdate(LA, file(9, whole), TODAY);
    expect(codes(results)).toEqual(['CPR06', 'CPR06', 'CPR06', 'CPR06']);
    expect(await register.lookup(CHILD, TODAY)).toEqual([held(LA, { localId: 'B' })]);
  });

  test('a different file under a sequence already used is applied as its own upload', async () => {
    await register.applyPlanUpdate(LA, file(7, [plan('upsert')]), TODAY);
    const other = plan('upsert', { localId: 'B1', subject: { nhsNumber: OTHER_CHILD } });
    expect(await register.applyPlanUpdate(LA, file(7, [other]), TODAY)).toEqual([{ position: 1, localId: 'B1', code: 'CPR06' }]);
    expect(await register.lookup(OTHER_CHILD, TODAY)).toMatchObject([{ localId: 'B1', laOds: LA }]);
    expect(await register.lookup(CHILD, TODAY)).toEqual([held(LA)]);
  });

  test('the same records sent again under the same sequence, created later, are the same upload', async () => {
    const first = await register.applyPlanUpdate(LA, file(8, [plan('upsert')]), TODAY);
    await register.applyPlanUpdate(LA, file(9, [plan('delete', { plan: { deleteDate: TODAY } })]), TODAY);
    const resent = { ...file(8, [plan('upsert')]), created: '2025-06-15T10:30:00Z' };
    expect(await register.applyPlanUpdate(LA, resent, TODAY)).toEqual(first);
    expect(await register.lookup(CHILD, TODAY)).toEqual([]);
  });

  test('the same sequence from two LAs is two uploads', async () => {
    await register.applyPlanUpdate(LA, file(1, [plan('upsert')]), TODAY);
    expect(codes(await register.applyPlanUpdate(OTHER_LA, file(1, [plan('upsert')], OTHER_LA), TODAY))).toEqual(['CPR06']);
  });
});

describe('concurrent writers', () => {
  const children = nhsNumbers(300);
  const upserts = (localId: string): PlanRecord[] => children.map((nhsNumber) => plan('upsert', { localId, subject: { nhsNumber } }));

  test('two processes applying different files for the same children: per child exactly one open plan wins', async () => {
    const [a, b] = [anotherProcess({ batchSize: 20 }), anotherProcess({ batchSize: 20 })];
    const [ra, rb] = await Promise.all([
      a.applyPlanUpdate(LA, file(1, upserts('A')), TODAY),
      b.applyPlanUpdate(LA, file(2, upserts('B')), TODAY),
    ]);
    for (const [i, nhsNumber] of children.entries()) {
      const wins = [ra[i], rb[i]].filter((r) => r.code === 'CPR06');
      expect(wins).toHaveLength(1);
      expect([ra[i], rb[i]].find((r) => r.code === 'CPR07')?.detail).toBe('OPEN_PLAN_EXISTS');
      expect((await register.lookup(nhsNumber, TODAY)).map((r) => r.localId)).toEqual([wins[0].localId]);
    }
  });

  test('two processes applying the same file at once: identical results, each record applied once', async () => {
    const records = [...upserts('A'), ...children.map((nhsNumber) => plan('end', { localId: 'A', subject: { nhsNumber }, plan: { end: TODAY } }))];
    const [ra, rb] = await Promise.all([
      anotherProcess({ batchSize: 30 }).applyPlanUpdate(LA, file(1, records), TODAY),
      anotherProcess({ batchSize: 45 }).applyPlanUpdate(LA, file(1, records), TODAY),
    ]);
    expect(rb).toEqual(ra);
    expect(codes(ra)).toEqual(Array(records.length).fill('CPR06'));
    for (const nhsNumber of children) {
      expect(await register.lookup(nhsNumber, TODAY)).toEqual([held(LA, { nhsNumber, localId: 'A', end: TODAY })]);
    }
  });

  test('two processes on the same file deciding on different days: the first commit of each position stands', async () => {
    const tomorrow = '2025-06-16';
    const records = children.map((nhsNumber) => plan('upsert', { subject: { nhsNumber }, plan: { start: tomorrow } }));
    const [ra, rb] = await Promise.all([
      anotherProcess({ batchSize: 20 }).applyPlanUpdate(LA, file(1, records), TODAY),
      anotherProcess({ batchSize: 20 }).applyPlanUpdate(LA, file(1, records), tomorrow),
    ]);
    expect(rb).toEqual(ra);
    for (const [i, nhsNumber] of children.entries()) {
      expect(await register.lookup(nhsNumber, tomorrow)).toHaveLength(ra[i].code === 'CPR06' ? 1 : 0);
    }
  });
});

describe('lookup', () => {
  test('an ended record is visible until 12 months after its end, then not; the window is configurable', async () => {
    await register.applyPlanUpdate(LA, file(1, [plan('upsert', { plan: { end: '2025-02-01' } })]), TODAY);
    expect(await register.lookup(CHILD, '2026-01-31')).toHaveLength(1);
    expect(await register.lookup(CHILD, '2026-02-01')).toHaveLength(0);
    expect(await register.lookup(CHILD, TODAY, 3)).toHaveLength(0);
  });

  test('nothing held: an empty list', async () => {
    expect(await register.lookup(MOTHER, TODAY)).toEqual([]);
  });
});

describe('accesses', () => {
  const access = (n: number, options: Partial<Access> = {}): Access => ({
    attendanceId: `ATT-${n}`,
    at: new Date(Date.UTC(2025, 5, 1) + n * 25 * 3600_000).toISOString(),
    careSettingOds: 'RR8',
    careSettingName: 'Leeds General Infirmary ED',
    by: 'Dr A',
    ...options,
  });

  test('30 accesses keep the 25 newest, newest first', async () => {
    for (let n = 1; n <= 30; n++) expect(await register.recordAccess(CHILD, access(n))).toBe(true);
    const kept = await register.accesses(CHILD);
    expect(kept.map((a) => a.attendanceId)).toEqual(Array.from({ length: 25 }, (_, i) => `ATT-${30 - i}`));
    expect(kept[0]).toEqual(access(30));
  });

  test('the same attendance twice counts once', async () => {
    expect(await register.recordAccess(CHILD, access(1))).toBe(true);
    expect(await register.recordAccess(CHILD, access(1))).toBe(false);
    expect(await register.accesses(CHILD)).toEqual([access(1)]);
  });

  test('the same id from two organisations is two accesses: each trust chooses its ids alone', async () => {
    expect(await register.recordAccess(CHILD, access(1))).toBe(true);
    expect(await register.recordAccess(CHILD, access(1, { careSettingOds: 'RAE', careSettingName: 'Bradford Royal Infirmary ED' }))).toBe(true);
    expect(await register.recordAccess(CHILD, access(1, { careSettingOds: 'RAE', careSettingName: 'Bradford Royal Infirmary ED' }))).toBe(false);
    expect((await register.accesses(CHILD)).map((a) => a.careSettingOds).sort()).toEqual(['RAE', 'RR8']);
  });

  test('an id counted before accesses were scoped by organisation is not matched again: nothing is lost across the upgrade', async () => {
    await connections[0].zadd(register.keys.accessSeen(CHILD), Date.parse(access(1).at), access(1).attendanceId);
    expect(await register.recordAccess(CHILD, access(1, { careSettingOds: 'RAE' }))).toBe(true);
  });

  test('the same author within 24 hours counts once; after 24 hours, or another author, counts again', async () => {
    const base = Date.UTC(2025, 5, 1, 10);
    const at = (hours: number) => new Date(base + hours * 3600_000).toISOString();
    expect(await register.recordAccess(CHILD, access(1, { at: at(0) }))).toBe(true);
    expect(await register.recordAccess(CHILD, access(2, { at: at(23.9) }))).toBe(false);
    expect(await register.recordAccess(CHILD, access(3, { at: at(-23.9) }))).toBe(false);
    expect(await register.recordAccess(CHILD, access(4, { at: at(1), by: 'Dr B' }))).toBe(true);
    expect(await register.recordAccess(CHILD, access(5, { at: at(2), careSettingOds: 'RAE' }))).toBe(true);
    expect(await register.recordAccess(CHILD, access(6, { at: at(24) }))).toBe(true);
    expect(await register.recordAccess(CHILD, access(2, { at: at(23.9) }))).toBe(false);
    expect((await register.accesses(CHILD)).map((a) => a.attendanceId)).toEqual(['ATT-6', 'ATT-5', 'ATT-4', 'ATT-1']);
  });

  test('with no author known, each attendance counts', async () => {
    expect(await register.recordAccess(CHILD, access(1, { by: undefined }))).toBe(true);
    expect(await register.recordAccess(CHILD, access(2, { by: undefined, at: access(1).at }))).toBe(true);
  });

  test('an access older than the 25 kept does not enter the history', async () => {
    for (let n = 10; n < 35; n++) await register.recordAccess(CHILD, access(n, { by: `Dr ${n}` }));
    expect(await register.recordAccess(CHILD, access(1))).toBe(false);
    expect(await register.accesses(CHILD)).toHaveLength(25);
  });

  test('concurrent records of the same attendance count once', async () => {
    const results = await Promise.all([anotherProcess(), anotherProcess(), register].map((r) => r.recordAccess(CHILD, access(1))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('an unreadable time is an error with a code', async () => {
    await expect(register.recordAccess(CHILD, access(1, { at: 'yesterday' }))).rejects.toMatchObject({ code: 'INVALID_ACCESS_TIME' });
  });
});
