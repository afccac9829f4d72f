import { WEAK_PASSWORDS } from './weak-passwords.js';

export const MIN_PASSWORD_LENGTH = 12;
const MIN_DISTINCT = 5;

/** The service's name and its roles: a password made of them is as good as known. */
const SERVICE_WORDS = ['cpisx', 'cpis', 'cpisexchange', 'exchange', 'console', 'viewer', 'operator', 'admin'];

export type PasswordRule = 'too-short' | 'too-few-characters' | 'names-user-or-service' | 'common';

export type PolicyCheck = { ok: true } | { ok: false; rule: PasswordRule; message: string };

/** Letters people write as digits or symbols. */
const LEET: Record<string, string> = { 0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't', '@': 'a', $: 's', '!': 'i' };

const lettersOf = (s: string) => [...s].map((c) => LEET[c] ?? c).join('').replace(/[^a-z]/g, '');
const WEAK_WORDS = [...new Set(WEAK_PASSWORDS.map(lettersOf).filter((w) => w.length >= 4))];
const DIGIT_RUNS = ['0123456789'.repeat(3), '9876543210'.repeat(3)];

/**
 * Whether a new console password is good enough, and if not the first rule it fails: long
 * enough, enough different characters, not the username or the service's name, not a
 * well-known password (also with digits or symbols around it, spelt with digits for
 * letters, or several run together). Counted in characters, not bytes.
 */
export function checkPassword(password: string, username?: string): PolicyCheck {
  const text = password.normalize('NFC');
  const length = [...text].length;
  if (length < MIN_PASSWORD_LENGTH) return refuse('too-short', `it must be at least ${MIN_PASSWORD_LENGTH} characters long; this one is ${length}`);
  if (new Set(text).size < MIN_DISTINCT) return refuse('too-few-characters', `it must use at least ${MIN_DISTINCT} different characters`);
  const cores = coresOf(text);
  const own = [...SERVICE_WORDS, ...(username && username.length >= 3 ? [lettersOf(username.toLowerCase())] : [])];
  if (cores.some((core) => madeOf(core, own))) return refuse('names-user-or-service', 'it is made from the username, or from this service\'s name or roles (cpisx, console, admin, …), with only digits or symbols added');
  const lower = text.toLowerCase();
  if (WEAK_PASSWORDS.includes(lower) || DIGIT_RUNS.some((run) => /^\d+$/.test(lower) && run.includes(lower))
    || cores.some((core) => madeOf(core, [...own, ...WEAK_WORDS]))) {
    return refuse('common', 'it is a well-known password, or made of well-known passwords with only digits or symbols added');
  }
  return { ok: true };
}

/** The letters, read two ways: with the digits and symbols around them taken off first, and with every digit read as a letter. */
function coresOf(text: string): string[] {
  const lower = text.toLowerCase();
  return [lettersOf(lower.replace(/^[^a-z]+|[^a-z]+$/g, '')), lettersOf(lower)].filter((core) => core.length > 0);
}

function madeOf(core: string, words: string[]): boolean {
  return [...words].sort((a, b) => b.length - a.length).reduce((rest, word) => rest.split(word).join(''), core) === '';
}

function refuse(rule: PasswordRule, why: string): PolicyCheck {
  return { ok: false, rule, message: `${rule}: ${why}` };
}
