import { backoffDelay, type BackoffSettings } from '../../engine/pipeline/backoff.js';

/** Where an inbox message stands at the start of a poll. */
export type Standing = 'due' | 'waiting' | 'unrouted';

type Entry = { kind: 'retrying'; attempts: number; dueAt: number } | { kind: 'unrouted' };

/**
 * What the poller remembers about messages still in the inbox between polls: failed
 * deliveries and when each may be tried again, and messages no sink takes. Only in memory:
 * after a restart every message is simply tried again, which the inbox makes safe.
 * Pure: the caller passes the time.
 */
export class DeliveryLedger {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly retry: BackoffSettings,
    private readonly random: () => number = Math.random,
  ) {}

  /** Forgets messages that left the inbox some other way (acknowledged elsewhere, expired). */
  keepOnly(inbox: Iterable<string>): void {
    const kept = new Set(inbox);
    for (const id of this.entries.keys()) if (!kept.has(id)) this.entries.delete(id);
  }

  standing(id: string, now: number): Standing {
    const entry = this.entries.get(id);
    if (!entry) return 'due';
    if (entry.kind === 'unrouted') return 'unrouted';
    return now >= entry.dueAt ? 'due' : 'waiting';
  }

  /** Records a failed attempt; the wait before the next grows with the attempts. */
  failed(id: string, now: number): { attempts: number; delayMs: number } {
    const entry = this.entries.get(id);
    const attempts = (entry?.kind === 'retrying' ? entry.attempts : 0) + 1;
    const delayMs = backoffDelay(attempts, this.retry, this.random);
    this.entries.set(id, { kind: 'retrying', attempts, dueAt: now + delayMs });
    return { attempts, delayMs };
  }

  /**
   * Routes do not change while the adapter runs, so a message no sink takes is not
   * downloaded again on every poll; it waits in the inbox for a configuration that takes it.
   */
  unrouted(id: string): void {
    this.entries.set(id, { kind: 'unrouted' });
  }

  delivered(id: string): void {
    this.entries.delete(id);
  }
}
