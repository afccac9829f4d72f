/**
 * The hub's refusal of a national CP-IS NHS query it will not answer: an application
 * acknowledgement (MCCI_IN010000UK13, §4.8), the reply query placers are registered for beside
 * the response. AE says the query was at fault (it could not be read, or a value in it was
 * refused); AR that the hub could not answer for a reason of its own, so the asker may try again.
 * The detail's code is ours (a DmsQueryError code, or the caller's own) and its text the reason.
 */
import { oneLine } from '../xml/result.js';
import { acknowledgement, reply, spineMessage, type DmsReplyContext } from './wrapper.js';

/** A DmsQueryError is one; the HTTP layer makes its own for what it refuses after reading. */
export interface DmsQueryRefusal {
  code: string;
  /** The reason, for a person; never patient data. */
  message: string;
  details?: readonly string[];
  /** The refused query's message id and sender, when it was read that far; unknown ones are sent as such. */
  messageId?: string;
  senderAsid?: string;
  /** The hub could not answer for a reason that is not the query's (AR); otherwise the query is at fault (AE). */
  transient?: boolean;
}

export function buildDmsQueryRefusal(refusal: DmsQueryRefusal, context: DmsReplyContext): string {
  const detail = { '@typeCode': 'ER', code: { '@code': refusal.code, '@displayName': oneLine(refusal) } };
  return spineMessage({
    interaction: 'MCCI_IN010000UK13',
    ...reply(context),
    to: refusal.senderAsid,
    acknowledgement: acknowledgement(refusal.transient ? 'AR' : 'AE', refusal.messageId, [detail]),
    controlAct: {},
  });
}
