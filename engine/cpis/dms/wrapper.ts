/**
 * The Spine transmission wrapper (MCCI_MT010101UK12 and its acknowledging kin) and control act
 * that a query and the hub's replies share (§4.3 to §4.5, §4.8): the message id, the time, the
 * version and interaction, production processing, no acknowledgement asked for, the receiving
 * and sending systems, and the sender as the control act's author.
 */
import type { Tree } from '../xml/tree.js';
import { hl7Document, hl7Time, OID } from './hl7.js';

/** What every reply needs from its caller. */
export interface DmsReplyContext {
  /** The reply's own message id: an upper-case UUID, new for each reply. */
  messageId: string;
  /** When the reply is made, ISO 8601 with a zone. */
  at: string;
  /** The hub's 12-digit ASID. */
  hubAsid: string;
}

export type SpineInteraction = 'QUPC_IN000006GB01' | 'REPC_IN000007GB01' | 'QUQI_IN010000UK14' | 'MCCI_IN010000UK13';

/** The version the Spine's own CP-IS replies carried. */
export const VERSION_CODE = 'V3NPfIT3.0';

export interface SpineMessage {
  interaction: SpineInteraction;
  messageId: string;
  /** ISO 8601 with a zone. */
  at: string;
  /** The sending system's ASID. */
  from: string;
  /** The receiving system's ASID; unknown when answering a query that could not be read that far. */
  to: string | undefined;
  /** `acknowledgement` content, for the interactions that acknowledge a message. */
  acknowledgement?: Tree;
  /** The control act's children after `author1` (the sender). */
  controlAct: Tree;
}

const asidId = (asid: string | undefined): Tree =>
  asid === undefined ? { '@nullFlavor': 'UNK' } : { '@root': OID.asid, '@extension': asid };

export function spineMessage(message: SpineMessage): string {
  return hl7Document(message.interaction, {
    id: { '@root': message.messageId },
    creationTime: { '@value': hl7Time(message.at) },
    versionCode: { '@code': VERSION_CODE },
    interactionId: { '@root': OID.interaction, '@extension': message.interaction },
    processingCode: { '@code': 'P' },
    processingModeCode: { '@code': 'T' },
    acceptAckCode: { '@code': 'NE' },
    acknowledgement: message.acknowledgement,
    communicationFunctionRcv: { device: { id: asidId(message.to) } },
    communicationFunctionSnd: { device: { id: asidId(message.from) } },
    ControlActEvent: {
      '@classCode': 'CACT',
      '@moodCode': 'EVN',
      author1: { AgentSystemSDS: { agentSystemSDS: { id: asidId(message.from) } } },
      ...message.controlAct,
    },
  });
}

/** A reply from the hub, as its context gives it. */
export const reply = (context: DmsReplyContext): Pick<SpineMessage, 'messageId' | 'at' | 'from'> =>
  ({ messageId: context.messageId, at: context.at, from: context.hubAsid });

/**
 * `acknowledgement` content: AA accepted, AE an error in the message, AR refused for a reason
 * that is not the message's; `messageRef` names the message acknowledged, unknown when it could
 * not be read that far.
 */
export const acknowledgement = (typeCode: 'AA' | 'AE' | 'AR', messageRef: string | undefined, details: Tree[] = []): Tree => ({
  '@typeCode': typeCode,
  acknowledgementDetail: details,
  messageRef: { id: messageRef === undefined ? { '@nullFlavor': 'UNK' } : { '@root': messageRef } },
});
