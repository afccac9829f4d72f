import { verifyPassword } from '../../engine/console/accounts.js';
import { cpisx, cpisxOnTerminal } from './cli-process.js';

describe('cpisx console hash-password', () => {
  test('prints a hash of the first line of stdin that verifies with that password only', async () => {
    const result = await cpisx(['console', 'hash-password'], {}, 'correct horse battery\nnext line\n');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const hash = result.stdout.trimEnd();
    expect(result.stdout).toBe(`${hash}\n`);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('next line', hash)).toBe(false);
  });

  test('refuses a password the policy refuses, saying which rule, and prints nothing', async () => {
    const short = await cpisx(['console', 'hash-password'], {}, 'pa55 word\n');
    expect([short.code, short.stdout, short.stderr]).toEqual([1, '', 'cpisx: WEAK_PASSWORD: refused, too-short: it must be at least 12 characters long; this one is 9; nothing printed\n']);
    const common = await cpisx(['console', 'hash-password'], {}, 'Password2026!\n');
    expect([common.code, common.stdout]).toEqual([1, '']);
    expect(common.stderr).toMatch(/^cpisx: WEAK_PASSWORD: refused, common: /);
    const own = await cpisx(['console', 'hash-password', '--username', 'jane.smith'], {}, 'Jane.Smith.2026\n');
    expect(own.stderr).toMatch(/^cpisx: WEAK_PASSWORD: refused, names-user-or-service: /);
  });

  test('refuses an empty password', async () => {
    const result = await cpisx(['console', 'hash-password'], {}, '\n');
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', 'cpisx: USAGE: the password is empty\n']);
  });

  test('hash-password on a terminal: typed twice without echo; two different passwords print nothing', async () => {
    const typed = await cpisxOnTerminal(['console', 'hash-password'], {}, [['new password: ', 'pa55 word tall'], ['again: ', 'pa55 word tall']]);
    expect(typed.code).toBe(0);
    expect(typed.screen).not.toContain('pa55');
    expect(await verifyPassword('pa55 word tall', /scrypt\S+/.exec(typed.screen)![0])).toBe(true);
    const differ = await cpisxOnTerminal(['console', 'hash-password'], {}, [['new password: ', 'one of them'], ['again: ', 'two of them']]);
    expect(differ.code).toBe(1);
    expect(differ.screen).toContain('cpisx: PASSWORD_MISMATCH: the two passwords differ; nothing printed');
    expect(differ.screen).not.toContain('scrypt');
  }, 60_000);
});
