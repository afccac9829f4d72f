import type { Redis } from 'ioredis';
import { AuditLog, type AuditEvent } from '../../engine/console/audit.js';
import { chainHash } from '../../engine/console/audit-chain.js';
import { ConsoleKeys } from '../../engine/console/keys.js';
import { deleteKeys, testRedis } from '../support/hub.js';

/** Tampering done as someone with access to Redis would: straight on the keys. */
describe('the audit chain and its anchor', () => {
  let redis: Redis;
  let run = 0;
  let keys: ConsoleKeys;
  let audit: AuditLog;
  const entries = () => redis.xrange(keys.audit(), '-', '+');

  beforeAll(() => {
    redis = testRedis();
  });
  beforeEach(async () => {
    keys = new ConsoleKeys(`test:audit-chain:${process.pid}:${run++}:`);
    audit = new AuditLog(redis, keys);
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => audit.append(event(i))));
  });
  afterAll(async () => {
    await deleteKeys(`test:audit-chain:${process.pid}:*`);
    redis.disconnect();
  });

  const event = (i: number): AuditEvent => ({ at: `2026-11-0${i}T10:00:00.000Z`, user: `u${i}`, ip: '10.0.0.1', action: 'replay', messageIds: [`M${i}`], outcome: 'ok' });
  const when = (fields: string[]) => (JSON.parse(fields[fields.indexOf('event') + 1]) as AuditEvent).at;

  test('concurrent appends chain one after another and the anchor holds the tail', async () => {
    expect(await audit.verify()).toEqual({ ok: true, count: 6, anchored: true });
    const all = await entries();
    const tail = all[5];
    expect(await redis.hgetall(keys.auditAnchor())).toEqual({ hash: tail[1][tail[1].indexOf('hash') + 1], count: '6', id: tail[0], at: when(tail[1]) });
    expect((await audit.list({ messageId: 'M3' })).items.map((e) => e.user)).toEqual(['u3']);
  });

  test('an entry removed from the middle (XDEL) is reported at the entry after it', async () => {
    const [, second, third] = await entries();
    await redis.xdel(keys.audit(), second[0]);
    expect(await audit.verify()).toEqual({
      ok: false, count: 1, anchored: true,
      broken: { id: third[0], at: when(third[1]), problem: 'removed', detail: 'the entry before it is missing (removed, or changed and re-hashed)' },
    });
  });

  test('an entry whose field was changed (the stream rewritten with the same ids) is reported as changed', async () => {
    const all = await entries();
    await redis.del(keys.audit());
    for (const [id, fields] of all) {
      const edited = id === all[3][0] ? fields.map((v) => v.replace('"outcome":"ok"', '"outcome":"FORBIDDEN"')) : fields;
      await redis.xadd(keys.audit(), id, ...edited);
    }
    expect(await audit.verify()).toEqual({
      ok: false, count: 3, anchored: true, broken: { id: all[3][0], at: when(all[3][1]), problem: 'changed', detail: 'its content does not match its hash' },
    });
  });

  test('an entry taken out and put back at the end is reported as re-ordered', async () => {
    const [, second, third] = await entries();
    await redis.xdel(keys.audit(), second[0]);
    await redis.xadd(keys.audit(), '*', ...second[1]);
    expect(await audit.verify()).toMatchObject({
      ok: false, count: 1, broken: { id: third[0], problem: 're-ordered', detail: expect.stringMatching(/^it follows entry \d+-\d+, which is elsewhere in the log$/) },
    });
  });

  test('the end cut off (XDEL of the last entries) is reported at the entry the anchor names', async () => {
    const all = await entries();
    await redis.xdel(keys.audit(), all[5][0], all[4][0]);
    const cut = { ok: false, count: 4, anchored: true, broken: { id: all[5][0], at: when(all[5][1]), problem: 'removed', detail: `the chain ends after 4 entries, at ${all[3][0]}; its anchor holds 6 entries ending at ${all[5][0]}, which is gone` } };
    expect(await audit.verify()).toEqual(cut);
    // Appends go on from the anchor, so the cut stays visible after them.
    await audit.append(event(7));
    expect(await audit.verify()).toMatchObject({ ok: false, count: 4, broken: { problem: 'removed', detail: 'the entry before it is missing (removed, or changed and re-hashed)' } });
  });

  test('XTRIM (the oldest entries trimmed away, as MAXLEN would) is reported at the first entry left', async () => {
    const all = await entries();
    await redis.xtrim(keys.audit(), 'MAXLEN', 2);
    expect(await audit.verify()).toMatchObject({ ok: false, count: 0, broken: { id: all[4][0], problem: 'removed', detail: 'the entries before it are missing (removed, or changed and re-hashed)' } });
  });

  test('the whole stream deleted is reported', async () => {
    const all = await entries();
    await redis.del(keys.audit());
    expect(await audit.verify()).toEqual({
      ok: false, count: 0, anchored: true,
      broken: { id: all[5][0], at: when(all[5][1]), problem: 'removed', detail: `the log is empty; its anchor holds 6 entries ending at ${all[5][0]}, which is gone` },
    });
  });

  test('a log from before anchors verifies unanchored, and its first append anchors it at its tail', async () => {
    await redis.del(keys.audit(), keys.auditAnchor());
    let prev = '';
    for (const i of [1, 2, 3]) { // as entries were written then: no anchor, no mark
      const json = JSON.stringify(event(i));
      const hash = chainHash(prev, json);
      await redis.xadd(keys.audit(), '*', 'event', json, 'prev', prev, 'hash', hash);
      prev = hash;
    }
    expect(await audit.verify()).toEqual({ ok: true, count: 3, anchored: false });
    await audit.append(event(4));
    expect(await audit.verify()).toEqual({ ok: true, count: 4, anchored: true });
    expect(await redis.hget(keys.auditAnchor(), 'count')).toBe('4');
  });

  test('the anchor deleted with the end of the log is reported at the last entry left, and still after an append sets it again', async () => {
    const all = await entries();
    await redis.xdel(keys.audit(), all[5][0], all[4][0]);
    await redis.del(keys.auditAnchor());
    const detail = 'the anchor is gone, though this entry was written under one: entries after it may have been cut off';
    expect(await audit.verify()).toEqual({ ok: false, count: 4, anchored: false, broken: { id: all[3][0], at: when(all[3][1]), problem: 'removed', detail } });
    await audit.append({ ...event(7), at: '2026-11-07T10:00:00.000Z' });
    expect(await audit.verify()).toEqual({
      ok: false, count: 3, anchored: true,
      broken: { id: all[3][0], at: when(all[3][1]), problem: 'removed', detail: 'the anchor was deleted after this entry and set again at 2026-11-07T10:00:00.000Z: entries after it may have been cut off' },
    });
  });
});
