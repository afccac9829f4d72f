import { isOpen } from '../cpis/register/rules.js';
import type { AccessNotification, Accessor, CareSetting, LocalAuthority, QueriedPlan, RegisterRecord } from '../cpis/types.js';
import { buildAccessNotification } from '../cpis/xml/access-notification.js';
import { orderNotification } from './notification-worker.js';
import { ProcessingError } from './processing-error.js';
import type { WorkerContext } from './worker-context.js';

/**
 * The one way the hub answers "is this person flagged?" and records who asked: the
 * attendance worker and the point-of-care query both come here, so their answers and side
 * effects cannot drift apart.
 */
export type FlagContext = Pick<WorkerContext, 'store' | 'directory' | 'register' | 'settings' | 'enqueue'>;

/** A look at a person's record that is kept in their history and told to the LAs. */
export interface View {
  /** The message (attendance) or query message id the notification orders derive their ids from. */
  sourceId: string;
  /** The attendance or query id: the history counts it once per care setting organisation, whatever retries follow. */
  accessId: string;
  nhsNumber: string;
  at: string;
  careSetting: CareSetting;
  viewedBy?: Accessor;
}

/** The plans visible today (open, or ended within `endedVisibleMonths`), each with its LA's name and phones. */
export async function visiblePlans(ctx: FlagContext, nhsNumber: string, day: string): Promise<QueriedPlan[]> {
  const records = await ctx.register.lookup(nhsNumber, day, ctx.settings.endedVisibleMonths);
  const las = new Map(await Promise.all([...new Set(records.map((r) => r.laOds))].map(async (ods) => [ods, await localAuthority(ctx, ods)] as const)));
  return records.map((r) => queried(r, las.get(r.laOds)!));
}

/**
 * Keeps the view in the person's history and orders one notification per LA with an open
 * plan. Order ids derive from `sourceId`, so a retry or replay sends nothing twice.
 */
export async function recordView(ctx: FlagContext, view: View, plans: QueriedPlan[], day: string): Promise<void> {
  const { viewedBy } = view;
  // Independent and each idempotent, so issued together: one round trip and one fsync between them.
  const orders = [...byLa(plans.filter((p) => isOpen(p, day)))].map(([laOds, open]) =>
    orderNotification(ctx, view.sourceId, laOds, buildAccessNotification(notification(view, open))));
  const access = ctx.register.recordAccess(view.nhsNumber, {
    attendanceId: view.accessId,
    at: view.at,
    careSettingOds: view.careSetting.ods,
    careSettingName: view.careSetting.name,
    by: viewedBy?.name,
    role: viewedBy?.role,
    roleCode: viewedBy?.roleCode,
    userId: viewedBy?.id,
    roleProfileId: viewedBy?.roleProfileId,
    system: viewedBy?.system,
  });
  await Promise.all([access, ...orders]);
}

/** The LA's name from the configuration; its phones as its latest upload gave them, else as configured. */
async function localAuthority(ctx: FlagContext, ods: string): Promise<LocalAuthority> {
  const org = ctx.directory.organisation(ods);
  const uploaded = await ctx.register.contacts(ods);
  const emergencyPhone = uploaded?.emergencyPhone ?? org?.phones.emergency;
  if (!org || !emergencyPhone) throw new ProcessingError('HUB_CONFIGURATION', `LA ${ods} has no emergency duty phone, uploaded or configured`);
  return { ods, name: org.name, officePhone: uploaded?.officePhone ?? org.phones.office, emergencyPhone };
}

function queried(r: RegisterRecord, la: LocalAuthority): QueriedPlan {
  return {
    type: r.type, start: r.start, end: r.end, la, localId: r.localId, uploadFile: r.uploadFile,
    subject: { nhsNumber: r.nhsNumber, familyName: r.familyName, givenName: r.givenName, birthDate: r.birthDate, role: r.role },
  };
}

function byLa(plans: QueriedPlan[]): Map<string, QueriedPlan[]> {
  const out = new Map<string, QueriedPlan[]>();
  for (const plan of plans) out.set(plan.la.ods, [...(out.get(plan.la.ods) ?? []), plan]);
  return out;
}

function notification(view: View, plans: QueriedPlan[]): AccessNotification {
  const { subject } = plans[0];
  const viewedBy = view.viewedBy && { name: view.viewedBy.name, role: view.viewedBy.role, id: view.viewedBy.id };
  return {
    attendanceId: view.accessId,
    subject: { nhsNumber: subject.nhsNumber, familyName: subject.familyName, givenName: subject.givenName, birthDate: subject.birthDate },
    plans: plans.map((p) => ({ type: p.type, start: p.start, end: p.end, localId: p.localId, uploadFile: p.uploadFile })),
    arrival: view.at,
    careSetting: view.careSetting,
    viewedBy,
  };
}
