import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { AuditLog } from '../../engine/console/audit.js';
import { ConsoleKeys } from '../../engine/console/keys.js';
import { REDIS_URL, startTestHub, type TestHub } from '../support/hub.js';
import { Staff } from '../console/staff.js';
import { cpisx, staffEnv } from './cli-process.js';

const SLOW = 90_000;

/** Real cpisx processes sharing one state directory, as one person's commands in a row, against a real hub. */
describe('cpisx keeps one console session across commands', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: ConsoleKeys;
  let state: string;
  const env = (user: string, extra: Record<string, string | undefined> = {}) => ({ ...staffEnv(hub.url, user), XDG_STATE_HOME: state, ...extra });
  const run = (user: string, ...args: string[]) => cpisx(args, env(user));
  const sessionsOf = async (user: string) => (await new AuditLog(redis, keys).list({ user, limit: 500 })).items
    .filter((e) => e.action === 'login' || e.action === 'logout').map((e) => `${e.action} ${e.outcome}`).reverse();
  const keptFiles = () => readdirSync(join(state, 'cpisx', 'sessions'));

  beforeAll(async () => {
    hub = await startTestHub();
    redis = new Redis(REDIS_URL);
    keys = new ConsoleKeys(hub.keyPrefix);
  }, 30_000);
  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'cpisx-session-test-'));
  });
  afterEach(() => rmSync(state, { recursive: true, force: true }));
  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  test('two commands in a row sign in once; the second needs no password; the kept cookie is private to the user', async () => {
    expect((await run('viewer', 'mailbox', 'list', '--json')).code).toBe(0);
    const second = await cpisx(['audit', '--json'], env('viewer', { CPISX_PASSWORD: undefined }));
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(await sessionsOf('viewer')).toEqual(['login ok']);
    expect(statSync(join(state, 'cpisx', 'sessions')).mode & 0o777).toBe(0o700);
    const [file, ...others] = keptFiles();
    expect(others).toEqual([]);
    expect(statSync(join(state, 'cpisx', 'sessions', file)).mode & 0o777).toBe(0o600);
  }, SLOW);

  test('logout ends the session at the hub, audited, and the next command signs in again', async () => {
    await run('operator', 'mailbox', 'list');
    const out = await run('operator', 'logout');
    expect([out.code, out.stdout]).toEqual([0, `signed out of ${hub.url}\n`]);
    expect(keptFiles()).toEqual([]);
    expect(await sessionsOf('operator')).toEqual(['login ok', 'logout ok']);
    expect((await run('operator', 'logout')).stdout).toBe(`no session of operator at ${hub.url}\n`);
    await run('operator', 'mailbox', 'list');
    expect(await sessionsOf('operator')).toEqual(['login ok', 'logout ok', 'login ok']);
  }, SLOW);

  test('a session the hub has ended (idle timeout) is replaced by a new sign-in, without an error', async () => {
    await run('admin', 'mailbox', 'list');
    // What the idle timeout does: the hub's session key goes.
    const live = await redis.keys(`${hub.keyPrefix}{console}:session:*`);
    await redis.del(...live);
    const again = await run('admin', 'mailbox', 'list', '--json');
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(await sessionsOf('admin')).toEqual(['login ok', 'login ok']);
    // Without the password, an ended session is a sign-in problem, said as such.
    await redis.del(...(await redis.keys(`${hub.keyPrefix}{console}:session:*`)));
    const noPassword = await cpisx(['mailbox', 'list'], env('admin', { CPISX_PASSWORD: undefined }));
    expect([noPassword.code, noPassword.stderr]).toEqual([2, 'cpisx: USAGE: no password: set CPISX_PASSWORD, or run on a terminal to be asked\n']);
  }, SLOW);

  test('audit verify (admin): intact, then the first break after tampering, exit 1', async () => {
    for (const user of ['viewer', 'operator', 'admin']) await Staff.login(hub.url, user);
    // A viewer may not.
    const refused = await run('viewer', 'audit', 'verify');
    expect([refused.code, refused.stderr]).toEqual([1, 'cpisx: FORBIDDEN: this needs the admin role; you are viewer\n']);
    const intact = await run('admin', 'audit', 'verify');
    expect([intact.code, intact.stderr]).toEqual([0, '']);
    expect(intact.stdout).toMatch(/^audit chain intact: \d+ entries, its tail anchored\n$/);

    const [, second, third] = await redis.xrange(keys.audit(), '-', '+', 'COUNT', 3);
    await redis.xdel(keys.audit(), second[0]);
    try {
      const broken = await run('admin', 'audit', 'verify');
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(new RegExp(`^audit chain BROKEN after 1 intact entries, its tail anchored\\nEntry +${third[0]}\\nWritten +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\nProblem +removed\\nDetail +the entry before it is missing`));
      expect(broken.stderr).toBe(`cpisx: CHAIN_BROKEN: the audit chain breaks at entry ${third[0]}: removed\n`);
      const json = JSON.parse((await cpisx(['audit', 'verify', '--json', '--hub', hub.url], env('admin', { CPISX_HUB: undefined }))).stdout);
      expect(json).toMatchObject({ ok: false, count: 1, anchored: true, broken: { id: third[0], problem: 'removed' } });
    } finally {
      // Put back where it was, so the chain is whole for the next test.
      const rest = await redis.xrange(keys.audit(), '-', '+');
      await redis.del(keys.audit());
      for (const [id, fields] of [rest[0], second, ...rest.slice(1)]) await redis.xadd(keys.audit(), id, ...fields);
    }
    expect((await run('admin', 'audit', 'verify')).code).toBe(0);
  }, SLOW);

  test('console unlock (admin) lifts a lockout, audited; the account signs in again', async () => {
    const guesses = await Promise.all(Array.from({ length: 6 }, (_, i) => new Staff(`${hub.url}/console/api`).signIn('operator', `guess-${i}`)));
    expect(guesses.map((a) => a.status).sort()).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await run('operator', 'mailbox', 'list')).stderr).toMatch(/^cpisx: LOCKED_OUT: /);

    const byViewer = await run('viewer', 'console', 'unlock', 'operator');
    expect([byViewer.code, byViewer.stderr]).toEqual([1, 'cpisx: FORBIDDEN: this needs the admin role; you are viewer\n']);
    const unlocked = await run('admin', 'console', 'unlock', 'Operator');
    expect([unlocked.code, unlocked.stdout, unlocked.stderr]).toEqual([0, 'unlocked operator\n', '']);
    expect((await run('operator', 'mailbox', 'list')).code).toBe(0);
    expect((await run('admin', 'console', 'unlock', 'operator')).stdout).toBe('operator was not locked; its failed sign-ins are cleared\n');
    const unknown = await run('admin', 'console', 'unlock', 'nobody');
    expect([unknown.code, unknown.stderr]).toEqual([1, 'cpisx: NOT_FOUND: no staff account nobody\n']);

    const audited = (await new AuditLog(redis, keys).list({ action: 'unlock' })).items.map((e) => [e.user, e.outcome, e.detail]);
    expect(audited).toEqual([
      ['admin', 'NOT_FOUND', 'account nobody'],
      ['admin', 'ok', 'account operator (was not locked)'],
      ['admin', 'ok', 'account operator (was locked)'],
      ['viewer', 'FORBIDDEN', 'account operator'],
    ]);
  }, SLOW);
});
