import type { Redis } from 'ioredis';
import type { ChainCheck } from './audit-chain.js';
import type { ConsoleKeys } from './keys.js';

/** A check of the chain, when it finished (epoch ms), and whether this process walked it. */
export interface SharedCheck {
  check: ChainCheck;
  at: number;
  walked: boolean;
}

/**
 * The periodic audit chain check, walked once per interval however many hub processes
 * serve the console: the log is never trimmed, so each walk costs more than the last, and
 * N processes walking it each would cost N times over. The first to ask in an interval
 * takes a lock for most of it (so the next interval's first asker finds it free) and
 * walks; the others take the result it shared. If the walker dies, the lock lapses and
 * another walks; until then the shared result's time goes stale, which the
 * CpisAuditChainNotChecked alert watches.
 */
export class SharedAuditCheck {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ConsoleKeys,
    private readonly everyMs: number,
    private readonly walk: () => Promise<ChainCheck>,
    private readonly now = Date.now,
  ) {}

  /** Undefined while no process has finished a walk yet. */
  async latest(): Promise<SharedCheck | undefined> {
    const lockMs = Math.max(1, Math.floor(this.everyMs * 0.9));
    if ((await this.redis.set(this.keys.auditCheckLock(), String(process.pid), 'PX', lockMs, 'NX')) === 'OK') {
      const check = await this.walk();
      const at = this.now();
      await this.redis.set(this.keys.auditCheck(), JSON.stringify({ check, at }));
      return { check, at, walked: true };
    }
    const shared = await this.redis.get(this.keys.auditCheck());
    return shared ? { ...(JSON.parse(shared) as Omit<SharedCheck, 'walked'>), walked: false } : undefined;
  }
}
