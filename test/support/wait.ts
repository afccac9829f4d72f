/** Waiting in tests: for a while, for a value, or for a condition. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `promise`'s value, or `'timeout'` when `ms` pass first (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The first defined value `probe` gives; throws when `timeoutMs` passes first. */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}

/** Polls until `done` answers true; throws with `describe()` when `timeoutMs` passes. */
export async function waitFor(done: () => Promise<boolean>, timeoutMs: number, describe: () => Promise<string> | string, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${await describe()}`);
    await sleep(everyMs);
  }
}
