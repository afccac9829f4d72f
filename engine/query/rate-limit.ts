import type { Redis, Result } from 'ioredis';
import { QueryKeys } from './keys.js';
import { defineScript } from '../redis/scripts.js';

export interface RateLimit {
  /** The sustained rate. */
  perSecond: number;
  /** How many may come at once after a quiet spell. */
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * GCRA (a token bucket kept as one number): the key holds the theoretical arrival time, in ms
 * of Redis's clock, so every hub process shares one clock and one bucket. KEYS[1] the bucket;
 * ARGV[1] ms per request at the sustained rate, ARGV[2] burst, ARGV[3] `take` or `give-back`.
 * Returns 0 when taken (or given back), else the ms until one could be taken.
 */
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local function store(at)
  if at <= now then redis.call('DEL', KEYS[1])
  else redis.call('SET', KEYS[1], string.format('%.3f', at), 'PX', math.ceil(at - now)) end
end
if ARGV[3] == 'give-back' then
  store(tat - interval)
  return 0
end
local wait = tat + interval - tonumber(ARGV[2]) * interval - now
if wait > 0 then return math.ceil(wait) end
store(tat + interval)
return 0
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    queryRateLimit(key: string, intervalMs: number, burst: number, op: 'take' | 'give-back'): Result<number, Context>;
  }
}

/** Rate limits shared by every hub process: one Redis key per named bucket, changed by one script. */
export class RateLimiter {
  private readonly keys: QueryKeys;

  constructor(private readonly redis: Redis, prefix: string) {
    this.keys = new QueryKeys(prefix);
    defineScript(redis, 'queryRateLimit', GCRA, 1);
  }

  async take(bucket: string, limit: RateLimit): Promise<RateDecision> {
    const waitMs = await this.redis.queryRateLimit(this.keys.rate(bucket), 1000 / limit.perSecond, limit.burst, 'take');
    return waitMs === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
  }

  /** Returns what `take` took, for a use that should not count (a check that succeeded). */
  async giveBack(bucket: string, limit: RateLimit): Promise<void> {
    await this.redis.queryRateLimit(this.keys.rate(bucket), 1000 / limit.perSecond, limit.burst, 'give-back');
  }
}
