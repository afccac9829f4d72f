import { checkNhsNumber } from '../cpis/nhs-number.js';
import type { Attendance } from '../cpis/types.js';
import { parseAttendance } from '../cpis/xml/attendance.js';
import { buildFlagResponse } from '../cpis/xml/flag-response.js';
import type { StoredMessage } from '../mailbox/message.js';
import { recordView, visiblePlans } from './flag.js';
import { ProcessingError, unreadable } from './processing-error.js';
import { sendReply } from './replies.js';
import type { MessageHandler } from './workers.js';
import { indexPatients, replyWorkflow, today, type WorkerContext } from './worker-context.js';

/**
 * A trust's attendance: answer the trust with the flag (open and recently ended
 * plans, with each LA's name and phones), record the access, and order a notification
 * for each LA with an open plan. The flag is the safety output, so it goes first and
 * waits on nothing that concerns only an LA: each notification is its own message in
 * the hub's mailbox, delivered (or held for staff) on its own. Reply ids derive from
 * the attendance message, so a retry sends nothing twice.
 */
export function attendanceHandler(ctx: WorkerContext): MessageHandler {
  return async (message, body) => {
    const attendance = readAttendance(ctx, message, body);
    const nhsNumber = attendance.patient.nhsNumber;
    await indexPatients(ctx, message, [nhsNumber]);
    const day = today();
    const plans = await visiblePlans(ctx, nhsNumber, day);
    await sendReply(ctx.store, {
      sourceId: message.id,
      suffix: 'FLAG',
      from: ctx.settings.hubMailbox,
      to: message.from,
      workflowId: replyWorkflow(ctx, message.workflowId),
      xml: buildFlagResponse({ attendanceId: attendance.attendanceId, nhsNumber, plans }),
      localId: message.localId,
      nhsNumbers: [nhsNumber],
    });
    if (plans.length === 0) return;
    await recordView(ctx, {
      sourceId: message.id,
      accessId: attendance.attendanceId,
      nhsNumber,
      at: attendance.arrival,
      careSetting: attendance.careSetting,
      viewedBy: attendance.viewedBy,
    }, plans, day);
  };
}

function readAttendance(ctx: WorkerContext, message: StoredMessage, body: Buffer): Attendance {
  const parsed = parseAttendance(body);
  if (!parsed.ok) {
    throw unreadable(parsed.error);
  }
  const attendance = parsed.value;
  const nhs = checkNhsNumber(attendance.patient.nhsNumber);
  if (!nhs.valid) throw new ProcessingError('INVALID_CONTENT', nhs.reason);
  // Checked before anything is sent: a time the schema let through but no clock can read is the sender's to fix.
  if (Number.isNaN(Date.parse(attendance.arrival))) throw new ProcessingError('INVALID_CONTENT', 'the arrival time is not a date-time');
  const trust = ctx.directory.mailbox(message.from)?.organisation;
  if (trust?.ods !== attendance.careSetting.ods) {
    throw new ProcessingError('WRONG_SENDER', `care setting ${attendance.careSetting.ods} is not the sending mailbox's organisation`);
  }
  return attendance;
}
