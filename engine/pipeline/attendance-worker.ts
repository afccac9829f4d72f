import { checkNhsNumber } from '../cpis/nhs-number.js';
import type { AccessNotification, Attendance, FlaggedPlan, LocalAuthority, RegisterRecord } from '../cpis/types.js';
import { buildAccessNotification } from '../cpis/xml/access-notification.js';
import { parseAttendance } from '../cpis/xml/attendance.js';
import { buildFlagResponse } from '../cpis/xml/flag-response.js';
import { oneLine } from '../cpis/xml/result.js';
import type { StoredMessage } from '../mailbox/message.js';
import { ProcessingError } from './processing-error.js';
import { sendReply } from './replies.js';
import type { MessageHandler } from './workers.js';
import { replyWorkflow, today, type WorkerContext } from './worker-context.js';

/** Where each LA with an open plan is told: its mailbox for the notification workflow. */
interface Notice {
  laOds: string;
  mailbox: string;
  records: RegisterRecord[];
}

/**
 * A trust's attendance: answer the trust with the flag (open and recently ended
 * plans, with each LA's name and phones), tell each LA with an open plan, and
 * record the access. Every destination is resolved before anything is sent, so a
 * configuration fault leaves nothing half done; reply ids derive from the
 * attendance message, so a retry sends nothing twice. The LAs are told first, so a
 * trust holding its flag response knows every notification has gone.
 */
export function attendanceHandler(ctx: WorkerContext): MessageHandler {
  return async (message, body) => {
    const attendance = readAttendance(ctx, message, body);
    const nhsNumber = attendance.patient.nhsNumber;
    const day = today();
    const records = await ctx.register.lookup(nhsNumber, day, ctx.settings.endedVisibleMonths);
    const plans = records.map((r) => flaggedPlan(ctx, r));
    const notices = noticesFor(ctx, records.filter((r) => r.end === undefined || r.end >= day));
    const flagWorkflow = replyWorkflow(ctx, message.workflowId);
    for (const notice of notices) {
      await sendReply(ctx.store, {
        sourceId: message.id,
        suffix: `N${notice.laOds}`,
        from: ctx.settings.hubMailbox,
        to: notice.mailbox,
        workflowId: ctx.settings.workflows.accessNotification,
        xml: buildAccessNotification(notification(attendance, notice.records)),
      });
    }
    await sendReply(ctx.store, {
      sourceId: message.id,
      suffix: 'FLAG',
      from: ctx.settings.hubMailbox,
      to: message.from,
      workflowId: flagWorkflow,
      xml: buildFlagResponse({ attendanceId: attendance.attendanceId, nhsNumber, plans }),
      localId: message.localId,
    });
    if (records.length > 0) {
      await ctx.register.recordAccess(nhsNumber, {
        attendanceId: attendance.attendanceId,
        at: attendance.arrival,
        careSettingOds: attendance.careSetting.ods,
        careSettingName: attendance.careSetting.name,
        by: attendance.viewedBy?.name,
      });
    }
  };
}

function readAttendance(ctx: WorkerContext, message: StoredMessage, body: Buffer): Attendance {
  const parsed = parseAttendance(body);
  if (!parsed.ok) {
    throw new ProcessingError(parsed.error.code === 'SCHEMA_INVALID' ? 'SCHEMA_INVALID' : 'NOT_READABLE', oneLine(parsed.error));
  }
  const attendance = parsed.value;
  const nhs = checkNhsNumber(attendance.patient.nhsNumber);
  if (!nhs.valid) throw new ProcessingError('INVALID_CONTENT', nhs.reason);
  const trust = ctx.directory.mailbox(message.from)?.organisation;
  if (trust?.ods !== attendance.careSetting.ods) {
    throw new ProcessingError('WRONG_SENDER', `care setting ${attendance.careSetting.ods} is not the sending mailbox's organisation`);
  }
  return attendance;
}

function localAuthority(ctx: WorkerContext, ods: string): LocalAuthority {
  const org = ctx.directory.organisation(ods);
  if (!org?.phones.emergency) throw new ProcessingError('HUB_CONFIGURATION', `LA ${ods} is not configured with an emergency duty phone`);
  return { ods, name: org.name, officePhone: org.phones.office, emergencyPhone: org.phones.emergency };
}

function flaggedPlan(ctx: WorkerContext, record: RegisterRecord): FlaggedPlan {
  return { type: record.type, start: record.start, end: record.end, la: localAuthority(ctx, record.laOds) };
}

function noticesFor(ctx: WorkerContext, open: RegisterRecord[]): Notice[] {
  const byLa = new Map<string, RegisterRecord[]>();
  for (const record of open) byLa.set(record.laOds, [...(byLa.get(record.laOds) ?? []), record]);
  return [...byLa].map(([laOds, records]) => {
    const [mailbox] = ctx.directory.endpointLookup(laOds, ctx.settings.workflows.accessNotification);
    if (!mailbox) throw new ProcessingError('HUB_CONFIGURATION', `LA ${laOds} has no mailbox for ${ctx.settings.workflows.accessNotification}`);
    return { laOds, mailbox: mailbox.id, records };
  });
}

function notification(attendance: Attendance, records: RegisterRecord[]): AccessNotification {
  const [first] = records;
  return {
    attendanceId: attendance.attendanceId,
    subject: { nhsNumber: first.nhsNumber, familyName: first.familyName, givenName: first.givenName, birthDate: first.birthDate },
    plans: records.map((r) => ({ type: r.type, start: r.start, end: r.end, localId: r.localId })),
    arrival: attendance.arrival,
    careSetting: attendance.careSetting,
    viewedBy: attendance.viewedBy,
  };
}
