import { setTimeout as sleep } from 'node:timers/promises';
import { MeshClientError } from './errors.js';

/**
 * Which failures are worth another try, and when.
 *
 * Retried: throttling and gateway answers (425, 429, 502, 503, 504) and network failures
 * (refused, reset, dropped, timed out). Everything else (4xx, 500) will fail the same way again.
 *
 * The caller decides whether a request may be retried at all: the first POST to `/outbox`
 * never is, because a lost answer does not mean a lost message and a blind resend would
 * deliver it twice. Chunk POSTs, GETs and the acknowledge PUT are safe to repeat.
 */
export interface RetryPolicy {
  /** Tries in all, the first included; 1 means no retry. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

const RETRYABLE_STATUS = new Set([425, 429, 502, 503, 504]);

export function isRetryable(err: unknown): boolean {
  if (!(err instanceof MeshClientError)) return false;
  if (err.code === 'NETWORK' || err.code === 'TIMEOUT') return true;
  return err.status !== undefined && RETRYABLE_STATUS.has(err.status);
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed so retries never bunch
 * at zero, half is random so many clients throttled together do not come back together.
 */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return step / 2 + random() * (step / 2);
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy runs out; the last error is thrown.
 * A Retry-After longer than maxDelayMs ends the retries instead of being cut short: the server
 * asked for that wait, and the error still carries `retryAfter` so the caller can schedule it.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= policy.attempts || !isRetryable(err)) throw err;
      const asked = retryAfterMs((err as MeshClientError).retryAfter);
      if (asked !== undefined && asked > policy.maxDelayMs) throw err;
      await sleep(asked ?? backoffMs(n, policy));
    }
  }
}
