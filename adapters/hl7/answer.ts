import type { Logger } from '../../engine/log.js';
import { adapterError } from '../core/errors.js';
import type { SendOutcome, Sender } from '../core/sender.js';
import { buildAck } from './ack.js';
import { readHl7 } from './hl7-message.js';
import { prepareHl7Message, type Hl7Outcome } from './prepare-hl7.js';
import type { TranslateOptions } from './to-attendance.js';

export interface AnswerContext {
  translate: TranslateOptions;
  send: Sender;
  log: Logger;
}

/**
 * The ACK for one HL7 message. An attendance is answered AA only once the hub has taken it
 * (202: stored); the hub unreachable is AE, so the PAS resends it later with the same control
 * id and so the same local id. Anything else that is not an attendance is AA: a PAS sends
 * every ADT event, and an AR would hold up its queue.
 */
export async function answerMessage(body: Buffer, ctx: AnswerContext): Promise<string> {
  const outcome = prepareHl7Message(body, ctx.translate);
  const controlId = outcome.header?.controlId;
  switch (outcome.kind) {
    case 'skipped':
      ctx.log.info('hl7 message skipped', { controlId, reason: outcome.reason });
      return buildAck({ code: 'AA', header: outcome.header });
    case 'rejected':
      ctx.log.warn('hl7 message rejected', { controlId, code: outcome.error.code, reason: outcome.error.message });
      return buildAck({ code: 'AR', header: outcome.header, error: outcome.error });
    case 'attendance':
      return sendAttendance(outcome, ctx);
  }
}

/** An AR for a frame too large to take; it names the message when its MSH came whole. */
export function answerOversize(head: Buffer, maxBytes: number, log: Logger): string {
  const end = head.findIndex((byte) => byte === 0x0d || byte === 0x0a);
  const read = end < 0 ? undefined : readHl7(head.subarray(0, end));
  const header = read?.ok ? read.header : undefined;
  const error = adapterError('TOO_LARGE', `the message is larger than ${maxBytes} bytes`);
  log.warn('hl7 message rejected', { controlId: header?.controlId, code: error.code, reason: error.message });
  return buildAck({ code: 'AR', header, error });
}

async function sendAttendance(outcome: Extract<Hl7Outcome, { kind: 'attendance' }>, ctx: AnswerContext): Promise<string> {
  const { header, localId, body } = outcome;
  const sent = await ctx.send({ localId, body, fileName: `${localId}.xml` }).catch((err: unknown) => unexpected(err, ctx.log));
  if (sent.ok) {
    ctx.log.info('hl7 attendance sent', { controlId: header.controlId, localId, messageId: sent.messageId });
    return buildAck({ code: 'AA', header });
  }
  ctx.log.warn('hl7 attendance not sent', { controlId: header.controlId, localId, code: sent.error.code, reason: sent.error.message });
  return buildAck({ code: sent.error.permanent ? 'AR' : 'AE', header, error: sent.error });
}

/** A sender that throws has a fault of its own; the message is not lost, the PAS resends it. */
function unexpected(err: unknown, log: Logger): SendOutcome {
  const error = adapterError('HUB_UNAVAILABLE', 'the message could not be sent to the hub', { permanent: false });
  log.error('hl7 send failed unexpectedly', { error: err instanceof Error ? err.message : String(err) });
  return { ok: false, error };
}
