import type { Logger } from '../../log.js';
import type { MailboxStore } from '../../mailbox/store.js';
import type { Directory } from '../directory.js';

/** What every MESH operation works with. */
export interface MeshContext {
  store: MailboxStore;
  directory: Directory;
  log: Logger;
  sharedKey: string;
  authWindowMs: number;
  maxRequestBytes: number;
  /** Told of each message as it enters an inbox whole; the hub queues its own mail from here. */
  onAccepted?: (message: { id: string; to: string; workflowId: string }) => void;
  /** Told of each message its recipient acknowledges, once (a repeated acknowledgement is not news). */
  onAcknowledged?: (message: { id: string; mailbox: string; workflowId: string }) => void;
}
