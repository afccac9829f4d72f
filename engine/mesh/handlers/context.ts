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
  /**
   * Runs the writes of a send, a chunk or an acknowledgement and resolves once as many
   * replicas as the settings ask hold them (redis/replicas.ts): the answer waits for it.
   */
  durably<T>(writes: () => Promise<T>): Promise<T>;
  /** Told of each message its recipient acknowledges, once (a repeated acknowledgement is not news). */
  onAcknowledged?: (message: { id: string; mailbox: string; workflowId: string }) => void;
}
