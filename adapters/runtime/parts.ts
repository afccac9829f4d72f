import type { Logger } from '../../engine/log.js';

/** Anything an adapter runs: a source, the mailbox poller. */
export interface Part {
  readonly kind: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunningAdapter {
  stop(): Promise<void>;
}

/**
 * Starts the parts in order and stops them in reverse, then closes what they share
 * (sinks): a source stops taking input before the connections it sends through go.
 * If one part cannot start, those already started are stopped again.
 */
export async function startParts(parts: Part[], closers: (() => Promise<void>)[], log: Logger): Promise<RunningAdapter> {
  const started: Part[] = [];
  const stop = async () => {
    for (const part of started.reverse()) await part.stop();
    for (const close of closers) await close();
  };
  try {
    for (const part of parts) {
      await part.start();
      started.push(part);
      log.info('started', { part: part.kind });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  log.info('adapter running', { parts: started.map((p) => p.kind) });
  return { stop };
}
