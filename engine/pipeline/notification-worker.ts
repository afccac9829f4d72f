import { buildDmsAccessNotification } from '../cpis/dms/access-notification.js';
import type { AccessNotification } from '../cpis/types.js';
import { parseAccessNotification } from '../cpis/xml/access-notification.js';
import type { StoredMessage } from '../mailbox/message.js';
import { ProcessingError, unreadable } from './processing-error.js';
import { replyId, sendReply } from './replies.js';
import type { MessageHandler } from './workers.js';
import { indexPatients, type WorkerContext } from './worker-context.js';

/**
 * Access notifications travel apart from the flag. For each LA to tell, the attendance
 * worker leaves an order in the hub's own mailbox: the notification's XML, from the hub,
 * linked to the attendance. Its worker resolves the LA's mailbox and delivers; when it
 * cannot (no mailbox for the workflow), only this order is held for staff, with the
 * reason, to be replayed once the configuration is fixed. The order and the notification
 * both take ids from the attendance, so retries and replays never send a second one.
 */
const ORDER = 'NOTIFY';

export function notificationSuffix(laOds: string): string {
  return `N${laOds}`;
}

export function orderSuffix(laOds: string): string {
  return `${ORDER}${laOds}`;
}

/** `sourceId`: the attendance message, or the query's message id; the order's id derives from it. */
export async function orderNotification(ctx: Pick<WorkerContext, 'store' | 'settings' | 'enqueue'>, sourceId: string, laOds: string, xml: string): Promise<void> {
  const { hubMailbox, workflows } = ctx.settings;
  const id = await sendReply(ctx.store, {
    sourceId,
    suffix: orderSuffix(laOds),
    from: hubMailbox,
    to: hubMailbox,
    workflowId: workflows.accessNotification,
    xml,
    subject: `access notification for LA ${laOds}`,
  });
  await ctx.enqueue(id, workflows.accessNotification);
}

export function notificationHandler(ctx: WorkerContext): MessageHandler {
  return async (order, body) => {
    const { hubMailbox, workflows } = ctx.settings;
    const laOds = orderedLa(order);
    if (order.from !== hubMailbox || !order.linkedMsgId || laOds === undefined) {
      throw new ProcessingError('WRONG_SENDER', `only the hub orders access notifications; ${order.id} is not one of its orders`);
    }
    const parsed = parseAccessNotification(body);
    if (!parsed.ok) throw unreadable(parsed.error);
    const nhsNumbers = [parsed.value.subject.nhsNumber];
    await indexPatients(ctx, order, nhsNumbers);
    const [mailbox] = ctx.directory.endpointLookup(laOds, workflows.accessNotification);
    if (!mailbox) throw new ProcessingError('HUB_CONFIGURATION', `LA ${laOds} has no mailbox for ${workflows.accessNotification}`);
    await sendReply(ctx.store, {
      sourceId: order.linkedMsgId,
      suffix: notificationSuffix(laOds),
      from: hubMailbox,
      to: mailbox.id,
      workflowId: workflows.accessNotification,
      xml: mailbox.format === 'dms' ? national(parsed.value, order, mailbox.organisation) : body.toString('utf8'),
      nhsNumbers,
    });
  };
}

/** The order holds the notification in the hub's own dialect; an LA on the national documents gets it as one. */
function national(notification: AccessNotification, order: StoredMessage, la: { ods: string; name: string }): string {
  // Made when the order was: a retry builds the same document.
  const at = new Date(order.createdAt).toISOString();
  return buildDmsAccessNotification(notification, { attendanceMessageId: order.linkedMsgId!, at, la: { ods: la.ods, name: la.name } });
}

/** The id of the notification an order delivers (once delivered, a step of the order's journey). */
export function deliveredNotificationId(order: StoredMessage): string | undefined {
  const laOds = orderedLa(order);
  return laOds === undefined ? undefined : replyId(order.linkedMsgId!, notificationSuffix(laOds));
}

/** The LA an order is for, from the id the attendance worker gave it. */
function orderedLa(order: StoredMessage): string | undefined {
  const prefix = order.linkedMsgId && replyId(order.linkedMsgId, ORDER);
  return prefix && order.id.startsWith(prefix) && order.id.length > prefix.length ? order.id.slice(prefix.length) : undefined;
}
