import type { BulkProgress } from '../../engine/operations/bulk-replay.js';

const BAR_WIDTH = 30;
const POLL_MS = 250;

/** `3/10 replayed, 0 could not be`: what a progress line and the final summary say. */
export function progressText(p: BulkProgress): string {
  return `${p.done + p.failed}/${p.total} handled: ${p.done} replayed, ${p.failed} could not be`;
}

/** `[#########---------------------] 3/10 ...` */
export function progressBar(p: BulkProgress, width = BAR_WIDTH): string {
  const filled = p.total === 0 ? width : Math.round((width * (p.done + p.failed)) / p.total);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progressText(p)}`;
}

/**
 * Polls an operation until it finishes (or is found interrupted), drawing a bar on stderr when it is a terminal,
 * or writing a line each time the count changes when it is not (a log, a CI job).
 */
export async function followProgress(poll: () => Promise<BulkProgress>, out: NodeJS.WriteStream = process.stderr): Promise<BulkProgress> {
  let shown = '';
  for (;;) {
    const progress = await poll();
    const text = progressText(progress);
    if (out.isTTY) out.write(`\r${progressBar(progress)}`);
    else if (text !== shown) out.write(`replay: ${text}\n`);
    shown = text;
    if (progress.state !== 'running') {
      if (out.isTTY) out.write('\n');
      return progress;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
