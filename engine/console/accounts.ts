import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { ConsoleSettings } from '../config/schema.js';

export type Role = 'viewer' | 'operator' | 'admin';

/** Each role may do what the roles before it may. */
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function allows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export interface Account {
  username: string;
  role: Role;
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64: the parameters travel with the hash so they can be raised later. */
export const PASSWORD_HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

const COST = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, length: number, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...cost, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The hash to put in `console.users[].passwordHash`; the CLI calls this. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, KEY_BYTES, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant time in the password; false for a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parts = PASSWORD_HASH.exec(hash);
  if (!parts) return false;
  const [, N, r, p, salt, expected] = parts;
  const want = Buffer.from(expected, 'base64');
  const got = await derive(password, Buffer.from(salt, 'base64'), want.length, { N: Number(N), r: Number(r), p: Number(p) });
  return timingSafeEqual(got, want);
}

/** The staff accounts of the configuration. */
export class Accounts {
  private readonly users: Map<string, ConsoleSettings['users'][number]>;
  /** Checked for unknown usernames too, so timing does not tell which usernames exist. */
  private readonly decoy: Promise<string>;

  constructor(users: ConsoleSettings['users']) {
    this.users = new Map(users.map((u) => [u.username, u]));
    this.decoy = hashPassword(randomBytes(16).toString('hex'));
  }

  async authenticate(username: string, password: string): Promise<Account | undefined> {
    const user = this.users.get(username);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.decoy));
    return user && matches ? { username: user.username, role: user.role } : undefined;
  }

  /** Sessions keep only the username: each request looks the account up, so a removed user's sessions stop working. */
  find(username: string): Account | undefined {
    const user = this.users.get(username);
    return user && { username: user.username, role: user.role };
  }
}
