import type { Redis, Result } from 'ioredis';
import type { ConsoleKeys } from './keys.js';
import { defineScript } from '../redis/scripts.js';

export interface LockoutPolicy {
  attempts: number;
  forMs: number;
}

/** May the password be checked, or is the username locked, and until when. */
export type Admission = { admitted: true } | { admitted: false; lockedUntil: Date };

/**
 * Counts an attempt and, in the same step, says whether it may go on: within the allowance
 * the count's life restarts; over it the lock stands and is not lengthened. KEYS[1] the
 * count; ARGV[1] attempts, ARGV[2] lock time in ms. Returns 0, or the lock's remaining ms.
 */
const ATTEMPT = `
local n = redis.call('INCR', KEYS[1])
if n <= tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  left = tonumber(ARGV[2])
end
return left
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    consoleSignInAttempt(key: string, attempts: number, forMs: number): Result<number, Context>;
  }
}

/**
 * Sign-in attempts per username in Redis (shared by every API process). Each attempt is
 * counted atomically before its password is checked, so however many arrive at once, at
 * most `attempts` passwords are ever checked; beyond that the username is locked until
 * `forMs` after the last checked attempt, whatever password is given. A success clears the count.
 */
export class Lockout {
  constructor(private readonly redis: Redis, private readonly keys: ConsoleKeys, private readonly policy: LockoutPolicy) {
    defineScript(redis, 'consoleSignInAttempt', ATTEMPT, 1);
  }

  async attempt(username: string): Promise<Admission> {
    const left = await this.redis.consoleSignInAttempt(this.keys.failedLogins(username), this.policy.attempts, this.policy.forMs);
    return left === 0 ? { admitted: true } : { admitted: false, lockedUntil: new Date(Date.now() + left) };
  }

  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.keys.failedLogins(username));
  }

  /** An admin's unlock: the count goes, whatever it was; true if it had locked the username. */
  async unlock(username: string): Promise<boolean> {
    const key = this.keys.failedLogins(username);
    const [[, count]] = (await this.redis.multi().get(key).del(key).exec()) as [[null, string | null], [null, number]];
    return Number(count ?? 0) > this.policy.attempts;
  }
}
