import { backoffDelay, type BackoffSettings } from '../../engine/pipeline/backoff.js';

/**
 * When each item that failed for a transient reason may be tried again, with exponential
 * backoff per item: one file the hub keeps refusing does not hold back the others. Pure:
 * the caller gives the time.
 */
export class RetrySchedule {
  private readonly waits = new Map<string, { attempts: number; at: number }>();

  constructor(private readonly settings: BackoffSettings) {}

  /** Records a failed attempt; returns how many there have been and the wait before the next. */
  failed(key: string, now: number): { attempts: number; delay: number } {
    const attempts = (this.waits.get(key)?.attempts ?? 0) + 1;
    const delay = backoffDelay(attempts, this.settings);
    this.waits.set(key, { attempts, at: now + delay });
    return { attempts, delay };
  }

  isDue(key: string, now: number): boolean {
    return now >= (this.waits.get(key)?.at ?? 0);
  }

  forget(key: string): void {
    this.waits.delete(key);
  }

  /** Drops the schedule of items no longer present. */
  retain(keys: Iterable<string>): void {
    const present = new Set(keys);
    for (const key of this.waits.keys()) if (!present.has(key)) this.waits.delete(key);
  }
}
