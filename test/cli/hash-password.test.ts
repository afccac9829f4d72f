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

  test('refuses an empty password', async () => {
    const result = await cpisx(['console', 'hash-password'], {}, '\n');
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', 'cpisx: USAGE: the password is empty\n']);
  });

  test('hash-password on a terminal: typed twice without echo; two different passwords print nothing', async () => {
    const typed = await cpisxOnTerminal(['console', 'hash-password'], {}, [['new password: ', 'pa55 word'], ['again: ', 'pa55 word']]);
    expect(typed.code).toBe(0);
    expect(typed.screen).not.toContain('pa55');
    expect(await verifyPassword('pa55 word', /scrypt\S+/.exec(typed.screen)![0])).toBe(true);
    const differ = await cpisxOnTerminal(['console', 'hash-password'], {}, [['new password: ', 'one'], ['again: ', 'two']]);
    expect(differ.code).toBe(1);
    expect(differ.screen).toContain('cpisx: PASSWORD_MISMATCH: the two passwords differ; nothing printed');
    expect(differ.screen).not.toContain('scrypt');
  }, 60_000);
});
