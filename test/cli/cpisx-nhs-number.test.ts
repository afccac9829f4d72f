import { Redis } from 'ioredis';
import { RedisRegister } from '../../engine/register/redis-register.js';
import { RegisterKeys } from '../../engine/register/keys.js';
import { LA706, nhsNumbers, planRecord } from '../../scripts/sample-exchange.js';
import { client, collect, startCpisHub } from '../support/cpis.js';
import { REDIS_URL, type TestHub } from '../support/hub.js';
import { cpisx, staffEnv } from './cli-process.js';

const SLOW = 60_000;

/** `cpisx nhs-number superseded` as a real process against a real hub, as support staff would run it. */
describe('cpisx nhs-number superseded', () => {
  let hub: TestHub;
  let redis: Redis;
  const [OLD, NEW, ORPHAN, NOBODY] = nhsNumbers(4);
  const run = (user: string, ...args: string[]) => cpisx(['nhs-number', 'superseded', ...args], staffEnv(hub.url, user));

  beforeAll(async () => {
    hub = await startCpisHub();
    redis = new Redis(REDIS_URL);
    const register = new RedisRegister(redis, { keys: new RegisterKeys(hub.keyPrefix) });
    const file = (ods: string, nhsNumber: string) => ({
      sequence: 1, created: '2026-11-01T09:00:00Z', la: { ...LA706, ods }, recordCount: 1, records: [planRecord(nhsNumber)],
    });
    await register.applyPlanUpdate('706', file('706', OLD), '2026-11-20');
    await register.applyPlanUpdate('999', file('999', ORPHAN), '2026-11-20');
  }, 30_000);

  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  test('prints what was sent to whom; a second run sends nothing new', async () => {
    const first = await run('admin', OLD, NEW);
    expect([first.code, first.stderr]).toEqual([0, '']);
    const [count, blank, header, row, ...rest] = first.stdout.trimEnd().split('\n');
    expect([count, blank, rest]).toEqual(['1 records held for the old number', '', []]);
    expect(header.split(/\s{2,}/)).toEqual(['LA', 'MAILBOX', 'FORMAT', 'RECORDS', 'MESSAGE ID', 'SENT']);
    const [, , , , messageId] = row.split(/\s{2,}/);
    expect(row.split(/\s{2,}/)).toEqual(['706', 'LA706CSC', 'native', '1', messageId, 'now']);
    const [sent] = await collect(client(hub, 'LA706CSC'), 1);
    expect([sent.id, sent.text]).toEqual([messageId, expect.stringContaining(`<replacement>${NEW}</replacement>`)]);

    const again = await run('admin', OLD, NEW);
    expect(again.code).toBe(0);
    expect(again.stdout.trimEnd().split('\n')[3].split(/\s{2,}/)).toEqual(['706', 'LA706CSC', 'native', '1', messageId, 'before']);
    expect(await collect(client(hub, 'LA706CSC'), 0, 500)).toEqual([]);
    expect(first.stdout + again.stdout).not.toContain(OLD);
  }, SLOW);

  test('an LA that could not be told is listed, and the exit status is 1', async () => {
    const result = await run('admin', ORPHAN, NEW);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^1 records held for the old number\n\nnot notified\nLA +RECORDS +REASON +DETAIL\n999 +1 +NO_MAILBOX +LA 999 has no mailbox for CPIS_ACCESS_NOTIFICATION\n$/);
    expect(result.stderr).toBe('cpisx: NOT_NOTIFIED: 999 could not be told; fix the configuration and run the command again\n');
  }, SLOW);

  test('nothing held: says so; refusals are one line with the API\'s code', async () => {
    const none = await run('admin', NOBODY, NEW);
    expect([none.code, none.stdout]).toEqual([0, 'no LA holds records for the old number; nothing sent\n']);
    const bad = await run('admin', OLD, '123');
    expect([bad.code, bad.stderr]).toEqual([1, 'cpisx: INVALID_NHS_NUMBER: the new number: the NHS number is not 10 digits\n']);
    const same = await run('admin', OLD, OLD);
    expect([same.code, same.stderr]).toEqual([1, 'cpisx: SAME_NHS_NUMBER: the old and new NHS numbers are the same\n']);
    const operator = await run('operator', OLD, NEW);
    expect([operator.code, operator.stderr]).toEqual([1, 'cpisx: FORBIDDEN: this needs the admin role; you are operator\n']);
    const missing = await cpisx(['nhs-number', 'superseded', OLD], staffEnv(hub.url, 'admin'));
    expect(missing.code).toBe(2);
  }, SLOW);
});
