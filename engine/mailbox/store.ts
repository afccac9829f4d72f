import type { WorkflowFilter } from '../mesh/workflow-filter.js';
import type { NewMessage, StoredMessage } from './message.js';

export interface SendOptions {
  /** Same sender and local id within this window returns the first message's id. 0 turns it off. */
  sendOnceWindowMs: number;
  /** The first chunk's inflated size, when it differs from its stored length (gzip); chunks add up to the limit. */
  firstChunkSize?: number;
  /** The NHS numbers the hub knows the message names (its own replies and notices), indexed with it for search. */
  nhsNumbers?: readonly string[];
}

/** A chunk's inflated size, and the most the whole message may add up to. */
export interface ChunkSize {
  size: number;
  maxBytes: number;
}

export interface SendResult {
  id: string;
  /** True when an earlier message (same id, or same sender and local id) answered this send. */
  duplicate: boolean;
}

export type ChunkResult = 'PARTIAL' | 'COMPLETE';

export interface InboxPage {
  ids: string[];
  /** The cursor for the next page, present when more ids follow. */
  next?: string;
}

/** A message taken out of its inbox by this acknowledgement (not a repeat). */
export interface Acknowledged {
  workflowId: string;
}

export interface HandshakeInfo {
  clientVersion?: string;
  osName?: string;
  osVersion?: string;
  userAgent?: string;
}

/**
 * The mailboxes: what the MESH API reads and changes. Each change is atomic, and a
 * message is in its recipient's inbox exactly from completion to acknowledgement.
 */
export interface MailboxStore {
  send(message: NewMessage, firstChunk: Buffer, options: SendOptions): Promise<SendResult>;
  /** Refused TOO_LARGE when this chunk would take the message past its limit. */
  sendChunk(from: string, id: string, chunk: number, total: number, encoding: string, body: Buffer, size: ChunkSize): Promise<ChunkResult>;
  list(mailbox: string, options: { after?: string; limit: number; filter?: WorkflowFilter }): Promise<InboxPage>;
  count(mailbox: string): Promise<number>;
  /** A message as its recipient sees it. */
  get(mailbox: string, id: string): Promise<StoredMessage | undefined>;
  chunk(mailbox: string, id: string, n: number): Promise<Buffer | undefined>;
  /** What this call acknowledged; undefined when the message was acknowledged already. */
  acknowledge(mailbox: string, id: string): Promise<Acknowledged | undefined>;
  /** A message as its sender sees it. */
  track(sender: string, id: string): Promise<StoredMessage | undefined>;
  trackByLocalId(sender: string, localId: string): Promise<StoredMessage | undefined>;
  /** A message found by id alone, in whichever mailbox received it (as support staff look it up). */
  locate(id: string): Promise<StoredMessage | undefined>;
  recordHandshake(mailbox: string, info: HandshakeInfo): Promise<void>;
  /** True the first time a token's nonce and count are seen within the window. */
  useNonce(mailbox: string, nonce: string, count: string, windowMs: number): Promise<boolean>;
}

/** How long messages live (MESH.md "Lifecycle"), in milliseconds. */
export interface Lifetimes {
  undeliveredAfterMs: number;
  deleteContentAfterMs: number;
}
