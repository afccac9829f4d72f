import { Redis } from 'ioredis';
import { ConsoleKeys } from '../../engine/console/keys.js';
import { UNREADABLE } from '../../engine/console/masking.js';
import { RegisterKeys } from '../../engine/register/keys.js';
import { freePort } from '../../scripts/spawn-ready.js';
import { attendanceXml, client, NHS, startCpisHub } from '../support/cpis.js';
import { REDIS_URL, type TestHub } from '../support/hub.js';
import { holdFailures, heldFor, sendToHub } from '../console/held-failures.js';
import { Staff, until } from '../console/staff.js';
import { cpisx, cpisxOnTerminal, staffEnv } from './cli-process.js';

/** Each test runs the CLI several times, a Node process each. */
const SLOW = 90_000;

/** The real `cpisx` process against a real hub, on failures made by the real workers, as each staff role. */
describe('cpisx failed, audit and mailbox, through the console API', () => {
  let hub: TestHub;
  let redis: Redis;
  let viewer: Staff;
  const ids = { script: '', broken: '', plan: '' };
  const as = (user: string) => staffEnv(hub.url, user);
  const run = (user: string, ...args: string[]) => cpisx(args, as(user));

  const trust = () => client(hub, 'RR8PAS');
  const send = sendToHub;
  const failedNow = async (q: string) => (await viewer.get('/failed', { q })).body;
  const held = (localId: string, attempts = 1) => heldFor(viewer, localId, attempts);
  const audited = async (query: Record<string, string>) => (await viewer.get('/audit', query)).body.items;
  /** A person key of the wrong type makes the register lookup fail: a real transient fault, fixed by deleting it. */
  const breakRegister = () => redis.set(new RegisterKeys(hub.keyPrefix).person(NHS[1]), 'not a hash');
  const fixRegister = () => redis.del(new RegisterKeys(hub.keyPrefix).person(NHS[1]));
  const transient = async (localId: string) => {
    const id = await send(trust(), 'CPIS_ATTENDANCE', attendanceXml(NHS[1], localId), localId);
    await held(localId, 3);
    return id;
  };

  beforeAll(async () => {
    hub = await startCpisHub();
    redis = new Redis(REDIS_URL);
    viewer = await Staff.login(hub.url, 'viewer');
    // An escape sequence that would clear a terminal.
    Object.assign(ids, await holdFailures(hub, viewer, '<not-xml \u001b[2J'));
  }, 30_000);

  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  test('failed list with a filter: a table for people, the API\'s JSON for scripts', async () => {
    const listed = await run('viewer', 'failed', 'list', '--workflow', 'CPIS_PLAN_UPDATE');
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    const [header, row, footer, ...rest] = listed.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['MESSAGE ID', 'WORKFLOW', 'FROM', 'TO', 'LOCAL ID', 'FAILED AT', 'REASON', 'TRIES', 'NHS NUMBER']);
    expect(row.split(/\s{2,}/)).toEqual([ids.plan, 'CPIS_PLAN_UPDATE', 'LA706CSC', 'X26HUB', 'PLAN-BAD', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/), 'SCHEMA_INVALID', '1', '*******919']);
    expect([footer, rest]).toEqual(['1-1 of 1 failed messages', []]);

    const json = await run('viewer', 'failed', 'list', '--workflow', 'CPIS_PLAN_UPDATE', '--json');
    expect(JSON.parse(json.stdout)).toEqual((await viewer.get('/failed', { workflow: 'CPIS_PLAN_UPDATE' })).body);

    const byNhs = JSON.parse((await run('viewer', 'failed', 'list', '--search', NHS[0], '--json')).stdout);
    expect(byNhs.items.map((m: { messageId: string }) => m.messageId)).toEqual([ids.script]);
    const paged = JSON.parse((await run('viewer', 'failed', 'list', '--sort', 'receivedAt', '--order', 'asc', '--limit', '1', '--offset', '1', '--json')).stdout);
    expect([paged.total, paged.items.map((m: { messageId: string }) => m.messageId)]).toEqual([3, [ids.broken]]);
  }, SLOW);

  test('a filter the API refuses is a usage error naming the field', async () => {
    const bad = await run('viewer', 'failed', 'list', '--limit', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^cpisx: BAD_REQUEST: limit: .*\n$/);
  }, SLOW);

  test('failed show: metadata, attempts, journey and the text, masked, as text a terminal cannot act on', async () => {
    const shown = await run('viewer', 'failed', 'show', ids.script);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Message +\S+\nFrom +RR8PAS\nTo +X26HUB\nWorkflow +CPIS_ATTENDANCE\nLocal id +ATT-SCRIPT\n/);
    expect(shown.stdout).toMatch(/\nFailed +yes: SCHEMA_INVALID\n/);
    expect(shown.stdout).toMatch(/\nAttempts\n# {2}AT +CODE .*\n1 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC +SCHEMA_INVALID +permanent +.*script/);
    expect(shown.stdout).toMatch(/\nJourney\nAT +EVENT +MESSAGE +DETAIL\n.* accepted +CPIS_ATTENDANCE from RR8PAS to X26HUB\n.* attempt +attempt 1: SCHEMA_INVALID: .*\n.* reply +\S+_R15 +report 15 to RR8PAS\n/);
    // The schema's complaint is said once: after the schema's name, not again in a list after it.
    const attempt = /\n1 {2}.* SCHEMA_INVALID +permanent +(.*)\n/.exec(shown.stdout)![1];
    expect(attempt).toMatch(/^the file does not match its schema: does not match attendance\.xsd: line \d+: [^;]*script[^;]*$/);
    expect(shown.stdout).toContain('Text (masked)\n');
    expect(shown.stdout).toContain('<nhsNumber>*******621</nhsNumber>');
    expect(shown.stdout).toContain('<script>alert(1)</script>');
    expect(shown.stdout).not.toContain(NHS[0]);
    expect(shown.stdout).not.toContain('Testchild');

    // Text that is not XML cannot be masked, so only an admin sees it, made harmless to a terminal.
    expect((await run('viewer', 'failed', 'show', ids.broken)).stdout).toContain(UNREADABLE);
    const broken = await run('admin', 'failed', 'show', ids.broken, '--unmask');
    expect(broken.stdout).not.toContain('\u001b');
    expect(broken.stdout).toContain('<not-xml \\u001b[2J');

    const json = JSON.parse((await run('viewer', 'failed', 'show', ids.script, '--json')).stdout);
    expect(json).toEqual((await viewer.get(`/messages/${ids.script}`)).body);
  }, SLOW);

  test('--unmask is for admins and audited', async () => {
    const refused = await run('operator', 'failed', 'show', ids.script, '--unmask');
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr).toBe('cpisx: FORBIDDEN: this needs the admin role; you are operator\n');
    const shown = await run('admin', 'failed', 'show', ids.script, '--unmask');
    expect(shown.stdout).toContain('Text (UNMASKED: this view was audited)');
    expect(shown.stdout).toContain(`<nhsNumber>${NHS[0]}</nhsNumber>`);
    const events = await audited({ action: 'unmask', messageId: ids.script });
    expect(events.map((e: { user: string; outcome: string }) => `${e.user} ${e.outcome}`)).toEqual(['admin ok', 'operator FORBIDDEN']);
  }, SLOW);

  test('a viewer\'s replay is refused by the hub, said in one line, and audited', async () => {
    const refused = await run('viewer', 'failed', 'replay', ids.broken);
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([1, '', 'cpisx: FORBIDDEN: this needs the operator role; you are viewer\n']);
    const [event] = await audited({ action: 'replay', messageId: ids.broken });
    expect(event).toMatchObject({ user: 'viewer', ip: '127.0.0.1', outcome: 'FORBIDDEN', messageIds: [ids.broken] });
    expect((await failedNow(ids.broken)).total).toBe(1);
  }, SLOW);

  test('an operator replays a message held after a transient fault, once it is fixed', async () => {
    await breakRegister();
    const id = await transient('ATT-CLI-ONE');
    await fixRegister();
    const replayed = await run('operator', 'failed', 'replay', id);
    expect([replayed.code, replayed.stdout, replayed.stderr]).toEqual([0, `replayed ${id}\n`, '']);
    await until(async () => ((await failedNow(id)).total === 0 ? true : undefined));
    expect((await audited({ action: 'replay', messageId: id }))[0]).toMatchObject({ user: 'operator', outcome: 'ok' });
    const again = await run('operator', 'failed', 'replay', id);
    expect([again.code, again.stderr]).toEqual([1, `cpisx: NOT_FAILED: no failed message with this id: ${id}\n`]);
  }, SLOW);

  test('bulk replay needs the typed confirmation naming how many match, then shows progress to the end', async () => {
    await breakRegister();
    const bulk = [await transient('ATT-CLI-BULK-1'), await transient('ATT-CLI-BULK-2')];
    await fixRegister();
    const replayAll = (...more: string[]) => run('operator', 'failed', 'replay', '--all', '--reason', 'TRANSIENT', ...more);

    const unconfirmed = await replayAll();
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toBe('cpisx: USAGE: not on a terminal: confirm with --confirm "REPLAY <n>", n being how many messages match\n');
    const wrong = await replayAll('--confirm', 'REPLAY 5');
    expect([wrong.code, wrong.stderr]).toEqual([1, 'cpisx: CONFIRMATION_MISMATCH: type "REPLAY 2" to replay the 2 messages that match now\n']);
    expect((await failedNow('ATT-CLI-BULK-1')).total).toBe(1);

    const done = await replayAll('--confirm', 'REPLAY 2');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^operation \S+: 2\/2 handled: 2 replayed, 0 could not be\n$/);
    expect(done.stderr.trimEnd().split('\n').at(-1)).toBe('replay: 2/2 handled: 2 replayed, 0 could not be');
    for (const id of bulk) await until(async () => ((await failedNow(id)).total === 0 ? true : undefined));
    const [started] = await audited({ action: 'replay-bulk', user: 'operator' });
    expect([...started.messageIds].sort()).toEqual([...bulk].sort());

    const both = await run('operator', 'failed', 'replay', ids.broken, '--all');
    expect(both.code).toBe(2);
  }, SLOW);

  test('on a terminal: the password is asked for without echo, the confirmation typed, the progress drawn as a bar', async () => {
    await breakRegister();
    const id = await transient('ATT-CLI-TTY');
    await fixRegister();
    const { code, screen } = await cpisxOnTerminal(['failed', 'replay', '--all', '--search', 'ATT-CLI-TTY'], { CPISX_HUB: hub.url, CPISX_USER: 'operator' }, [
      [`password for operator at ${hub.url}: `, 'operator-password'],
      ['1 failed message matches. Type "REPLAY 1" to replay it: ', 'REPLAY 1'],
    ]);
    expect(code).toBe(0);
    expect(screen).not.toContain('operator-password');
    expect(screen.slice(screen.indexOf('to replay it: '))).toContain('REPLAY 1'); // the confirmation is echoed
    expect(screen).toMatch(/\r\[#{30}\] 1\/1 handled: 1 replayed, 0 could not be\r\n/);
    expect(screen).toMatch(/operation \S+: 1\/1 handled: 1 replayed, 0 could not be\r\n$/);
    await until(async () => ((await failedNow(id)).total === 0 ? true : undefined));
  }, SLOW);

  test('discard needs a reason, then takes the message out of the failed list', async () => {
    const bare = await run('operator', 'failed', 'discard', ids.broken);
    expect([bare.code, bare.stderr]).toEqual([2, 'cpisx: USAGE: required option \'--reason <text>\' not specified\n']);
    const blank = await run('operator', 'failed', 'discard', ids.broken, '--reason', '  ');
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/^cpisx: BAD_REQUEST: reason: /);
    expect((await failedNow(ids.broken)).total).toBe(1);
    const done = await run('operator', 'failed', 'discard', ids.broken, '--reason', 'trust resent it as ATT-9');
    expect([done.code, done.stdout]).toEqual([0, `discarded ${ids.broken}\n`]);
    expect((await failedNow(ids.broken)).total).toBe(0);
  }, SLOW);

  test('audit lists the CLI\'s actions with who did them, from where and why', async () => {
    const listed = await run('viewer', 'audit', '--by', 'operator', '--action', 'discard');
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['AT', 'USER', 'FROM', 'ACTION', 'OUTCOME', 'MESSAGES', 'DETAIL']);
    expect(rows[0].split(/\s{2,}/).slice(1)).toEqual(['operator', '127.0.0.1', 'discard', 'ok', ids.broken, 'trust resent it as ATT-9']);
    expect(rows[1].split(/\s{2,}/).slice(1)).toEqual(['operator', '127.0.0.1', 'discard', 'BAD_REQUEST', ids.broken]);
    expect(rows.at(-1)).toBe('1-2 of 2 audit events');

    const json = JSON.parse((await run('viewer', 'audit', '--message', ids.broken, '--limit', '3', '--json')).stdout);
    expect(json.items).toHaveLength(3);
    expect(json.items[0]).toMatchObject({ user: 'operator', action: 'discard', outcome: 'ok', detail: 'trust resent it as ATT-9' });
  }, SLOW);

  test('mailbox list and show', async () => {
    const listed = await run('viewer', 'mailbox', 'list');
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual(['MAILBOX', 'ORGANISATION', 'WAITING', 'OLDEST']);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0]).sort()).toEqual(['LA706CSC', 'LA708CSC', 'LA709CSC', 'RR8PAS', 'X26HUB']);
    // What is held as failed still waits in the hub's inbox: the plan and the <script> attendance.
    expect(lines.find((l) => l.startsWith('X26HUB'))).toMatch(/^X26HUB +X26 +2 +\d+[ms]( \d+s)?$/);

    const shown = await run('viewer', 'mailbox', 'show', 'X26HUB');
    expect(shown.stdout).toMatch(/^Mailbox +X26HUB\nOrganisation +X26\nWaiting +2\nOldest +\d+[ms]( \d+s)?\n\nMESSAGE ID +FROM +WORKFLOW +RECEIVED +BYTES\n/);
    expect(shown.stdout).toMatch(new RegExp(`\\n${ids.plan} +LA706CSC +CPIS_PLAN_UPDATE +\\d{4}-`));
    // The ages move on between the two reads.
    const withoutAge = (boxes: { oldestAgeSeconds: number | null }[]) => boxes.map((b) => ({ ...b, oldestAgeSeconds: typeof b.oldestAgeSeconds }));
    const json = JSON.parse((await run('viewer', 'mailbox', 'list', '--json')).stdout);
    expect(withoutAge(json)).toEqual(withoutAge((await viewer.get('/mailboxes')).body));
    const missing = await run('viewer', 'mailbox', 'show', 'NOPE');
    expect([missing.code, missing.stderr]).toEqual([1, 'cpisx: NOT_FOUND: no mailbox NOPE\n']);
  }, SLOW);

  test('sign-in problems: a wrong password, no password, no user', async () => {
    const wrong = await cpisx(['failed', 'list'], { ...as('viewer'), CPISX_PASSWORD: 'guess' });
    expect([wrong.code, wrong.stderr]).toEqual([1, 'cpisx: BAD_CREDENTIALS: wrong username or password\n']);
    const noPassword = await cpisx(['failed', 'list'], { CPISX_HUB: hub.url, CPISX_USER: 'viewer' });
    expect([noPassword.code, noPassword.stderr]).toEqual([2, 'cpisx: USAGE: no password: set CPISX_PASSWORD, or run on a terminal to be asked\n']);
    const noUser = await cpisx(['mailbox', 'list', '--hub', hub.url], { CPISX_PASSWORD: 'x' });
    expect([noUser.code, noUser.stderr]).toEqual([2, 'cpisx: USAGE: say who you are: --user NAME or CPISX_USER\n']);
    const byOption = await cpisx(['mailbox', 'list', '--json', '--hub', hub.url, '--user', 'viewer'], { CPISX_PASSWORD: 'viewer-password' });
    expect(byOption.code).toBe(0);
  }, SLOW);

  test('a locked account: the line says when it unlocks', async () => {
    const guesses = Array.from({ length: 5 }, (_, i) => new Staff(`${hub.url}/console/api`).signIn('admin', `guess-${i}`));
    expect((await Promise.all(guesses)).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    try {
      const locked = await run('admin', 'mailbox', 'list');
      expect(locked.code).toBe(1);
      const [, until] = /^cpisx: LOCKED_OUT: too many failed sign-ins; locked until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\n$/.exec(locked.stderr) ?? [];
      // The sample's lockout: 15 minutes from the last checked attempt.
      expect(Date.parse(until) - Date.now()).toBeGreaterThan(14 * 60_000);
      expect(Date.parse(until) - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 1000);
    } finally {
      await redis.del(new ConsoleKeys(hub.keyPrefix).failedLogins('admin'));
    }
  }, SLOW);
});

test('a hub that cannot be reached is one clear line and exit 1', async () => {
  const port = await freePort();
  const result = await cpisx(['failed', 'list'], { CPISX_HUB: `http://127.0.0.1:${port}`, CPISX_USER: 'viewer', CPISX_PASSWORD: 'x' });
  expect([result.code, result.stdout]).toEqual([1, '']);
  expect(result.stderr).toBe(`cpisx: UNREACHABLE: cannot reach the hub at http://127.0.0.1:${port}: ECONNREFUSED\n`);
});
