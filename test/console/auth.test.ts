import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { hashPassword, verifyPassword } from '../../engine/console/accounts.js';
import { AuditLog } from '../../engine/console/audit.js';
import { ConsoleKeys } from '../../engine/console/keys.js';
import { resolveConfig } from '../../engine/config/load.js';
import { startTestHub, type TestHub, testRedis } from '../support/hub.js';
import { sleep, Staff } from './staff.js';

const sample = parseYaml(readFileSync('config/sample.yaml', 'utf8')) as { console: Record<string, unknown> };

describe('console sign-in, sessions and CSRF', () => {
  let hub: TestHub;
  let redis: Redis;
  let audit: AuditLog;
  beforeAll(async () => {
    // The MESH-only sandbox: sessions need no CP-IS workers. Short idle time and lockout to see them act.
    hub = await startTestHub({ console: { ...sample.console, sessionIdle: 1.5, lockout: { attempts: 3, for: 60 } } });
    redis = testRedis();
    audit = new AuditLog(redis, new ConsoleKeys(hub.keyPrefix));
  });
  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  const logins = async (user: string) => (await audit.list({ user, action: 'login' })).items.map((e) => e.outcome);

  test('signs in with a session cookie scoped to the console, and reports who is signed in', async () => {
    const staff = new Staff(`${hub.url}/console/api`);
    const answer = await staff.signIn('operator', 'operator-password');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ username: 'operator', role: 'operator', csrfToken: expect.any(String) });
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^cpisx_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/console');
    expect(cookie).not.toContain('Secure'); // no TLS here
    const session = await staff.get('/session');
    expect(session.body).toEqual({ username: 'operator', role: 'operator', csrfToken: answer.body.csrfToken });
    expect(await logins('operator')).toContain('ok');
  });

  test('a wrong password or unknown user is refused alike, and audited', async () => {
    const staff = new Staff(`${hub.url}/console/api`);
    const wrong = await staff.signIn('viewer', 'not-the-password');
    const unknown = await staff.signIn('nobody', 'whatever');
    expect([wrong.status, wrong.body.code]).toEqual([401, 'BAD_CREDENTIALS']);
    expect([unknown.status, unknown.body.code]).toEqual([401, 'BAD_CREDENTIALS']);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await logins('nobody')).toEqual(['BAD_CREDENTIALS']);
    await Staff.login(hub.url, 'viewer'); // a success clears the count
  });

  test('locks a username out after the configured failures, even with the right password; others are unaffected', async () => {
    const staff = new Staff(`${hub.url}/console/api`);
    for (let i = 0; i < 3; i++) expect((await staff.signIn('admin', `guess-${i}`)).status).toBe(401);
    const before = Date.now();
    const locked = await staff.signIn('admin', 'admin-password');
    expect([locked.status, locked.body.code]).toEqual([429, 'LOCKED_OUT']);
    // Says when: ISO 8601 UTC, about `lockout.for` (60s) from the last checked attempt, in the field and the message.
    expect(locked.body.lockedUntil).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(locked.body.lockedUntil) - before).toBeGreaterThan(50_000);
    expect(Date.parse(locked.body.lockedUntil) - before).toBeLessThanOrEqual(61_000);
    expect(locked.body.message).toBe(`too many failed sign-ins; locked until ${locked.body.lockedUntil}`);
    expect((await Staff.login(hub.url, 'operator')).csrfToken).toBeDefined();
    expect((await logins('admin')).slice(0, 4)).toEqual(['LOCKED_OUT', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS']);
  });

  test('without a session every route answers 401, reads and changes alike', async () => {
    const stranger = new Staff(`${hub.url}/console/api`);
    for (const answer of [await stranger.get('/session'), await stranger.get('/overview'), await stranger.get('/vocabulary'), await stranger.post('/logout', undefined, 'x')]) {
      expect([answer.status, answer.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    const forged = new Staff(`${hub.url}/console/api`, 'cpisx_session=forged-session-id');
    expect((await forged.get('/session')).status).toBe(401);
  });

  test('a change without the CSRF token, or with a wrong one, is refused and audited', async () => {
    const staff = await Staff.login(hub.url, 'viewer');
    const none = await staff.post('/logout', undefined, null);
    const wrong = await staff.post('/logout', undefined, `${staff.csrfToken}x`);
    expect([none.status, none.body.code]).toEqual([403, 'CSRF']);
    expect([wrong.status, wrong.body.code]).toEqual([403, 'CSRF']);
    expect((await staff.get('/session')).status).toBe(200); // still signed in
    const refused = (await audit.list({ user: 'viewer', action: 'logout' })).items;
    expect(refused.slice(0, 2).map((e) => [e.outcome, e.ip])).toEqual([['CSRF', '127.0.0.1'], ['CSRF', '127.0.0.1']]);
  });

  test('logout ends the session at once and clears the cookie', async () => {
    const staff = await Staff.login(hub.url, 'viewer');
    const cookie = staff.cookie;
    const out = await staff.post('/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^cpisx_session=; Max-Age=0/);
    expect((await new Staff(staff.base, cookie).get('/session')).status).toBe(401);
    expect((await audit.list({ user: 'viewer', action: 'logout' })).items[0].outcome).toBe('ok');
  });

  test('a session left idle longer than sessionIdle ends; one in use does not', async () => {
    const idle = await Staff.login(hub.url, 'viewer');
    const busy = await Staff.login(hub.url, 'viewer');
    for (let i = 0; i < 4; i++) {
      await sleep(500);
      expect((await busy.get('/session')).status).toBe(200);
    }
    expect((await idle.get('/session')).status).toBe(401);
  });

  test('answers are JSON, never cached, with nothing a browser could run', async () => {
    const answer = await (await Staff.login(hub.url, 'viewer')).get('/session');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
    const missing = await new Staff(`${hub.url}/console/api`).get('/no/such/route');
    expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('sign-in lockout against guesses sent at once', () => {
  let hub: TestHub;
  let redis: Redis;
  let audit: AuditLog;
  beforeAll(async () => {
    hub = await startTestHub({ console: sample.console }); // the sample's lockout: 5 attempts
    redis = testRedis();
    audit = new AuditLog(redis, new ConsoleKeys(hub.keyPrefix));
  });
  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  const signIns = (username: string, passwords: string[]) =>
    Promise.all(passwords.map((p) => new Staff(`${hub.url}/console/api`).signIn(username, p)));
  const guesses = (n: number) => Array.from({ length: n }, (_, i) => `guess-${i}`);

  test('of 30 wrong passwords sent together only 5 are checked; the rest, and then the right one, are refused as locked', async () => {
    const answers = await signIns('operator', guesses(30));
    const codes = answers.map((a) => a.body.code);
    expect(codes.filter((c) => c === 'BAD_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((c) => c === 'LOCKED_OUT')).toHaveLength(25);
    const right = await new Staff(`${hub.url}/console/api`).signIn('operator', 'operator-password');
    expect([right.status, right.body.code]).toEqual([429, 'LOCKED_OUT']);
    const logins = (await audit.list({ user: 'operator', action: 'login', limit: 100 })).items.map((e) => e.outcome);
    expect([logins.length, logins.filter((o) => o === 'BAD_CREDENTIALS').length]).toEqual([31, 5]);
  });

  test('the right password within the allowance signs in and starts the count again', async () => {
    expect((await signIns('admin', guesses(4))).map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect((await new Staff(`${hub.url}/console/api`).signIn('admin', 'admin-password')).status).toBe(200);
    expect((await signIns('admin', guesses(5))).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect((await new Staff(`${hub.url}/console/api`).signIn('admin', 'admin-password')).status).toBe(429);
  });
});

test('password hashes are salted scrypt and verify only the right password', async () => {
  const [a, b] = await Promise.all([hashPassword('s3cret'), hashPassword('s3cret')]);
  expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
  expect(a).not.toBe(b);
  expect(await verifyPassword('s3cret', a)).toBe(true);
  expect(await verifyPassword('s3cret ', a)).toBe(false);
  expect(await verifyPassword('s3cret', 'not a hash')).toBe(false);
});

test('the console configuration takes hashes only, unique usernames, and has defaults', () => {
  const file = parseYaml(readFileSync('config/sample.yaml', 'utf8')) as Record<string, unknown>;
  const users = (sample.console as { users: object[] }).users;
  const withConsole = (console: unknown) => resolveConfig({ ...file, console }, 'test.yaml', {});
  expect(withConsole({ users }).console).toMatchObject({ sessionIdle: 1_800_000, lockout: { attempts: 5, for: 900_000 } });
  expect(() => withConsole({ users: [{ username: 'viewer', role: 'viewer', passwordHash: 'viewer-password' }] }))
    .toThrow(/console\.users\[0\]\.passwordHash: a password hash is scrypt/);
  expect(() => withConsole({ users: [...users, users[0]] })).toThrow(/console\.users\[3\]\.username: duplicate username/);
  expect(() => withConsole({ users: [{ username: 'x', role: 'root', passwordHash: 'x' }] })).toThrow(/role/);
});
