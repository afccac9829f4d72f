import { checkNhsNumber } from '../cpis/nhs-number.js';
import { isOpen } from '../cpis/register/rules.js';
import type { AccessNotification, Attendance, FlaggedPlan, LocalAuthority, RegisterRecord } from '../cpis/types.js';
import { buildAccessNotification } from '../cpis/xml/access-notification.js';
import { parseAttendance } from '../cpis/xml/attendance.js';
import { buildFlagResponse } from '../cpis/xml/flag-response.js';
import type { StoredMessage } from '../mailbox/message.js';
import { orderNotification } from './notification-worker.js';
import { ProcessingError, unreadable } from './processing-error.js';
import { sendReply } from './replies.js';
import type { MessageHandler } from './workers.js';
import { replyWorkflow, today, type WorkerContext } from './worker-context.js';

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
    const day = today();
    const records = await ctx.register.lookup(nhsNumber, day, ctx.settings.endedVisibleMonths);
    await sendReply(ctx.store, {
      sourceId: message.id,
      suffix: 'FLAG',
      from: ctx.settings.hubMailbox,
      to: message.from,
      workflowId: replyWorkflow(ctx, message.workflowId),
      xml: buildFlagResponse({ attendanceId: attendance.attendanceId, nhsNumber, plans: await flaggedPlans(ctx, records) }),
      localId: message.localId,
    });
    if (records.length === 0) return;
    await ctx.register.recordAccess(nhsNumber, {
      attendanceId: attendance.attendanceId,
      at: attendance.arrival,
      careSettingOds: attendance.careSetting.ods,
      careSettingName: attendance.careSetting.name,
      by: attendance.viewedBy?.name,
    });
    for (const [laOds, open] of byLa(records.filter((r) => isOpen(r, day)))) {
      await orderNotification(ctx, message, laOds, buildAccessNotification(notification(attendance, open)));
    }
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

/** The LA's name from the configuration; its phones as its latest upload gave them, else as configured. */
async function localAuthority(ctx: WorkerContext, ods: string): Promise<LocalAuthority> {
  const org = ctx.directory.organisation(ods);
  const uploaded = await ctx.register.contacts(ods);
  const emergencyPhone = uploaded?.emergencyPhone ?? org?.phones.emergency;
  if (!org || !emergencyPhone) throw new ProcessingError('HUB_CONFIGURATION', `LA ${ods} has no emergency duty phone, uploaded or configured`);
  return { ods, name: org.name, officePhone: uploaded?.officePhone ?? org.phones.office, emergencyPhone };
}

async function flaggedPlans(ctx: WorkerContext, records: RegisterRecord[]): Promise<FlaggedPlan[]> {
  const las = new Map(await Promise.all([...new Set(records.map((r) => r.laOds))].map(async (ods) => [ods, await localAuthority(ctx, ods)] as const)));
  return records.map((r) => ({ type: r.type, start: r.start, end: r.end, la: las.get(r.laOds)! }));
}

function byLa(records: RegisterRecord[]): Map<string, RegisterRecord[]> {
  const out = new Map<string, RegisterRecord[]>();
  for (const record of records) out.set(record.laOds, [...(out.get(record.laOds) ?? []), record]);
  return out;
}

function notification(attendance: Attendance, records: RegisterRecord[]): AccessNotification {
  const [first] = records;
  return {
    attendanceId: attendance.attendanceId,
    subject: { nhsNumber: first.nhsNumber, familyName: first.familyName, givenName: first.givenName, birthDate: first.birthDate },
    plans: records.map((r) => ({ type: r.type, start: r.start, end: r.end, localId: r.localId, uploadFile: r.uploadFile })),
    arrival: attendance.arrival,
    careSetting: attendance.careSetting,
    viewedBy: attendance.viewedBy,
  };
}
