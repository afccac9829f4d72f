import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { QueryKeys } from './keys.js';

/** 256 random bits, base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Opaque bearer tokens for query clients, held in Redis so every hub process honours them and a
 * restart keeps them. Redis holds only a digest of each, with the token's lifetime as its TTL.
 */
export class QueryTokens {
  private readonly keys: QueryKeys;

  constructor(private readonly redis: Redis, prefix: string) {
    this.keys = new QueryKeys(prefix);
  }

  async issue(clientId: string, lifetimeMs: number): Promise<{ token: string; expiresIn: number }> {
    const token = randomBytes(32).toString('base64url');
    await this.redis.set(this.keys.token(digest(token)), clientId, 'PX', lifetimeMs);
    // Whole seconds, rounded down: a client told less than the truth renews in time.
    return { token, expiresIn: Math.floor(lifetimeMs / 1000) };
  }

  /** The client the token was issued to; undefined when it is unknown, expired or not a token's shape. */
  async resolve(token: string): Promise<string | undefined> {
    if (!TOKEN.test(token)) return undefined;
    return (await this.redis.get(this.keys.token(digest(token)))) ?? undefined;
  }
}
