import type { Prepare, Sender } from '../core/sender.js';
import type { AdapterMetrics } from './adapter-metrics.js';

/**
 * A sender that counts: accepted (sent), refused by the hub (rejected: a permanent error is
 * a 4xx answer), or not taken now (a retry follows: the source tries again, or the PAS's
 * interface engine resends after an AE). Every answer from the hub, even a refusal, shows
 * it is reachable.
 */
export function countedSender(send: Sender, metrics: AdapterMetrics): Sender {
  return async (message) => {
    const outcome = await send(message);
    if (outcome.ok) {
      metrics.sent();
      metrics.hubAnswered();
    } else if (outcome.error.permanent) {
      metrics.rejected();
      metrics.hubAnswered();
    } else {
      metrics.retried();
    }
    return outcome;
  };
}

/** A source's check that counts the documents it refuses: they go to rejected/ or the dead-letter exchange. */
export function countedPrepare(prepare: Prepare, metrics: AdapterMetrics): Prepare {
  return (input, name) => {
    const prepared = prepare(input, name);
    if (!prepared.ok) metrics.rejected();
    return prepared;
  };
}
