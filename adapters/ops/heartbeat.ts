import type { Logger } from '../../engine/log.js';
import type { Part } from '../runtime/parts.js';
import type { ActivityTotals } from './adapter-metrics.js';

/**
 * One log line every `intervalMs` with what happened since the last one, so an adapter
 * whose polls are quiet is still seen to be alive, and its traffic read at a glance.
 */
export function heartbeat(totals: ActivityTotals, intervalMs: number, log: Logger): Part {
  let timer: NodeJS.Timeout | undefined;
  let last = { ...totals };
  const beat = () => {
    const since = Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v - last[k as keyof ActivityTotals]]));
    last = { ...totals };
    log.info('heartbeat', { ...since, intervalMs });
  };
  return {
    kind: 'heartbeat',
    async start() {
      timer = setInterval(beat, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
    },
  };
}
