import type { StoredMessage } from '../mailbox/message.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Attempt } from '../pipeline/attempt-log.js';
import { deliveredNotificationId, notificationSuffix, orderSuffix } from '../pipeline/notification-worker.js';
import { replyId } from '../pipeline/replies.js';
import type { AuditEntry } from './audit.js';

export type JourneyEvent = 'accepted' | 'attempt' | 'reply' | 'acknowledged' | 'expired' | 'replayed' | 'discarded' | 'edited';

export interface JourneyStep {
  at: string;
  event: JourneyEvent;
  detail?: string;
  /** The message the step is about when it is not the one asked for (a reply). */
  messageId?: string;
}

/** What the journey is built from: all of it already written by the hub on its way; nothing is recorded for the console. */
export interface JourneyFacts {
  message: StoredMessage;
  attempts: Attempt[];
  replies: StoredMessage[];
  actions: AuditEntry[];
}

/**
 * The replies a message may have had, by the ids the workers derive from its id: an
 * acknowledgement, a flag response, a notification order and a notification per LA, and MESH reports;
 * for a notification order, the notification it delivered.
 */
export function replyIds(messageId: string, laOdsCodes: string[]): string[] {
  const suffixes = ['ACK', 'FLAG', ...laOdsCodes.flatMap((ods) => [orderSuffix(ods), notificationSuffix(ods)]), 'R15', 'R14'];
  return suffixes.map((suffix) => replyId(messageId, suffix));
}

export async function gatherReplies(store: Pick<MailboxStore, 'locate'>, message: StoredMessage, laOdsCodes: string[]): Promise<StoredMessage[]> {
  const delivered = deliveredNotificationId(message);
  const found = await Promise.all([...replyIds(message.id, laOdsCodes), ...(delivered ? [delivered] : [])].map((id) => store.locate(id)));
  return found.filter((m): m is StoredMessage => m !== undefined);
}

const ACTION_EVENTS: Partial<Record<AuditEntry['action'], JourneyEvent>> = {
  replay: 'replayed', 'replay-bulk': 'replayed', discard: 'discarded', 'edit-replay': 'edited',
};

/** Oldest first. */
export function buildJourney(facts: JourneyFacts): JourneyStep[] {
  const { message } = facts;
  const steps: JourneyStep[] = [
    { at: iso(message.acceptedAt ?? message.createdAt), event: 'accepted', detail: `${message.workflowId} from ${message.from ?? 'the hub'} to ${message.to}` },
    ...facts.attempts.map((a): JourneyStep => ({ at: a.at, event: 'attempt', detail: `attempt ${a.attempt}: ${a.code}: ${a.error}` })),
    ...endOf(message),
    ...facts.replies.flatMap((r) => [
      { at: iso(r.createdAt), event: 'reply' as const, messageId: r.id, detail: `${r.type === 'REPORT' ? `report ${r.statusCode}` : r.workflowId} to ${r.to}` },
      ...endOf(r).map((s) => ({ ...s, messageId: r.id })),
    ]),
    ...facts.actions.flatMap((a): JourneyStep[] => {
      const event = ACTION_EVENTS[a.action];
      return event && a.outcome === 'ok' ? [{ at: a.at, event, detail: [`by ${a.user}`, a.detail].filter(Boolean).join(': ') }] : [];
    }),
  ];
  return steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Collected (acknowledged) or expired uncollected. MESH records no download time, so there is no `downloaded` step. */
function endOf(message: StoredMessage): JourneyStep[] {
  if (message.acknowledgedAt) return [{ at: iso(message.acknowledgedAt), event: 'acknowledged' }];
  if (message.status === 'undeliverable') return [{ at: iso(message.statusAt), event: 'expired', detail: message.statusDescription }];
  return [];
}

const iso = (ms: number) => new Date(ms).toISOString();
