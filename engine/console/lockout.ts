import type { Redis } from 'ioredis';
import type { ConsoleKeys } from './keys.js';

export interface LockoutPolicy {
  attempts: number;
  forMs: number;
}

/**
 * Counts failed sign-ins per username in Redis (shared by every API process). The
 * count lapses `forMs` after the last failure; at `attempts` the username is locked
 * until then, whatever password is given.
 */
export class Lockout {
  constructor(private readonly redis: Redis, private readonly keys: ConsoleKeys, private readonly policy: LockoutPolicy) {}

  async locked(username: string): Promise<boolean> {
    return Number(await this.redis.get(this.keys.failedLogins(username))) >= this.policy.attempts;
  }

  async failed(username: string): Promise<void> {
    const key = this.keys.failedLogins(username);
    await this.redis.multi().incr(key).pexpire(key, this.policy.forMs).exec();
  }

  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.keys.failedLogins(username));
  }
}
