import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { QueryKeys } from './keys.js';

/** 256 random bits, base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A token found in Redis is taken on trust in this process for this long, or until it expires if
 * sooner: most queries then wait on one round trip fewer.
 */
const TRUSTED_MS = 10_000;
const TRUSTED_MAX = 10_000;

/**
 * Opaque bearer tokens for query clients, held in Redis so every hub process honours them and a
 * restart keeps them. Redis holds only a digest of each, with the token's lifetime as its TTL.
 */
export class QueryTokens {
  private readonly keys: QueryKeys;
  private readonly trusted = new Map<string, { clientId: string; until: number }>();

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
    const key = digest(token);
    const known = this.trusted.get(key);
    if (known && known.until > Date.now()) return known.clientId;
    // Sent together: one round trip.
    const [clientId, ttlMs] = await Promise.all([this.redis.get(this.keys.token(key)), this.redis.pttl(this.keys.token(key))]);
    this.trusted.delete(key);
    if (clientId === null) return undefined;
    this.trust(key, clientId, Math.min(TRUSTED_MS, ttlMs));
    return clientId;
  }

  private trust(key: string, clientId: string, forMs: number): void {
    if (this.trusted.size >= TRUSTED_MAX) this.trusted.delete(this.trusted.keys().next().value!);
    this.trusted.set(key, { clientId, until: Date.now() + forMs });
  }
}
