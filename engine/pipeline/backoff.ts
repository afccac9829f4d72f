export interface BackoffSettings {
  baseDelay: number;
  maxDelay: number;
}

/**
 * Exponential backoff with full jitter: attempt n waits a random time up to
 * base × 2^(n-1), capped, so that many retries after one outage spread out.
 */
export function backoffDelay(attemptsMade: number, settings: BackoffSettings, random = Math.random): number {
  const ceiling = Math.min(settings.maxDelay, settings.baseDelay * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
