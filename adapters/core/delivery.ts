import type { DownloadedMessage } from '../mesh-client/index.js';

/**
 * A message taken from a mailbox, on its way to the system the adapter serves
 * (the LA's case management system, the trust's PAS).
 */
export type Delivery = DownloadedMessage;

/**
 * Where received messages go. `deliver` resolves only once the far side has the message
 * (file renamed into place, broker confirm, webhook 2xx); it rejects with an AdapterFailure
 * otherwise. The poller acknowledges in MESH only after it resolved, so a repeat after a
 * crash is possible and a loss is not: each delivery carries the MESH message id for the
 * far side to drop repeats. A MESH REPORT, which has no body, is handed over as its readable
 * document (delivery/report-document.ts).
 */
export interface Sink {
  /** For logs: `folder`, `amqp`, `webhook`. */
  readonly kind: string;
  deliver(message: Delivery): Promise<void>;
  close(): Promise<void>;
}

/** A running source of outgoing documents (folder watcher, AMQP consumer, MLLP listener). */
export interface Source {
  readonly kind: string;
  start(): Promise<void>;
  /** Stops taking new input and waits for what is in hand to be sent or released. */
  stop(): Promise<void>;
}
