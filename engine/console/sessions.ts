import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConsoleKeys } from './keys.js';

export interface Session {
  id: string;
  username: string;
  csrfToken: string;
}

const digest = (id: string) => createHash('sha256').update(id).digest('hex');

/** Sessions held in Redis, so any API process serves any session; each request restarts the idle clock. */
export class Sessions {
  constructor(private readonly redis: Redis, private readonly keys: ConsoleKeys, private readonly idleMs: number) {}

  async create(username: string): Promise<Session> {
    const session = { id: randomBytes(32).toString('base64url'), username, csrfToken: randomBytes(32).toString('base64url') };
    const key = this.keys.session(digest(session.id));
    await this.redis.multi().hset(key, { username, csrfToken: session.csrfToken }).pexpire(key, this.idleMs).exec();
    return session;
  }

  /** The live session with this id, its idle time reset; undefined when unknown or expired. */
  async touch(id: string): Promise<Session | undefined> {
    const key = this.keys.session(digest(id));
    const [[, fields], [, alive]] = (await this.redis.multi().hgetall(key).pexpire(key, this.idleMs).exec()) as [[null, Record<string, string>], [null, number]];
    if (!alive || !fields.username) return undefined;
    return { id, username: fields.username, csrfToken: fields.csrfToken };
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.keys.session(digest(id)));
  }
}

export function csrfMatches(session: Session, token: string | undefined): boolean {
  if (!token) return false;
  const want = Buffer.from(session.csrfToken);
  const got = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}
