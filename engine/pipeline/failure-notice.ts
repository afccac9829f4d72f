import { reportFor } from '../mailbox/report.js';
import type { FailureNotice } from './workers.js';
import type { WorkerContext } from './worker-context.js';

/**
 * Tells the sender that its message failed for good: a MESH REPORT with code 15
 * (bad CP-IS file) and the reason. Skipped when the fault is the hub's, or when the
 * handler already answered in the workflow's own terms.
 */
export function failureNotice(ctx: WorkerContext): FailureNotice {
  return async (message, failure) => {
    if (!failure.senderFault || failure.answered) return;
    const report = reportFor(message, { code: '15', event: 'VALIDATE', description: failure.message.slice(0, 1000) });
    await ctx.store.send(report, Buffer.alloc(0), { sendOnceWindowMs: 0 });
  };
}
