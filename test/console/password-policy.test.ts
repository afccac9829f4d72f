import { checkPassword, type PasswordRule } from '../../engine/console/password-policy.js';

const rule = (password: string, username?: string): PasswordRule | 'ok' => {
  const check = checkPassword(password, username);
  return check.ok ? 'ok' : check.rule;
};

describe('the console password policy', () => {
  test('at least 12 characters, counted as characters not bytes', () => {
    expect(checkPassword('Xk9#mQ2$vL7')).toEqual({ ok: false, rule: 'too-short', message: 'too-short: it must be at least 12 characters long; this one is 11' });
    expect(rule('Xk9#mQ2$vL7p')).toBe('ok');
    expect(rule('ßüöäéèñçøåæ')).toBe('too-short');
  });

  test('enough different characters', () => {
    expect(rule('aaaaaaaaaaaaaaaa')).toBe('too-few-characters');
    expect(rule('abababababab1212')).toBe('too-few-characters');
  });

  test('not made from the username or the service\'s own words, digits and symbols aside', () => {
    expect(rule('jane.smith.2026', 'jane.smith')).toBe('names-user-or-service');
    expect(rule('jane.smith.2026')).toBe('ok');
    expect(rule('CPISX-cpisx-2026')).toBe('names-user-or-service');
    expect(rule('Adm1n-Console!')).toBe('names-user-or-service');
  });

  test('not a well-known password, with digits or symbols around it, in digits for letters, or several together', () => {
    expect(checkPassword('Password1234!')).toEqual({ ok: false, rule: 'common', message: 'common: it is a well-known password, or made of well-known passwords with only digits or symbols added' });
    expect(rule('P@ssw0rd2026')).toBe('common');
    expect(rule('qwertyuiop12')).toBe('common');
    expect(rule('123456789012')).toBe('common');
    expect(rule('monkey-dragon-99')).toBe('common');
    expect(rule('Sunshine!2026')).toBe('common');
  });

  test('passwords no rule catches pass', () => {
    expect(rule('correct horse battery')).toBe('ok');
    expect(rule('8472-9910-3382')).toBe('ok');
    expect(rule('x7K#9pQ!2mWz', 'jane')).toBe('ok');
  });
});
