import { MeshClientError, type MeshClient } from '../mesh-client/index.js';
import { isRetryable } from '../mesh-client/retry.js';
import { adapterError, type AdapterError } from './errors.js';

/** One document on its way to the hub. The destination comes from the adapter's configuration. */
export interface Outgoing {
  /**
   * Derived from the source (file name and content hash, AMQP message id, HL7 control id):
   * the same document sent again after a crash carries the same local id, and the hub
   * answers with the first message id instead of storing a second message.
   */
  localId: string;
  body: Buffer;
  fileName?: string;
  subject?: string;
}

export interface Destination {
  /** The hub's mailbox. */
  to: string;
  workflowId: string;
}

export type SendOutcome = { ok: true; messageId: string } | { ok: false; error: AdapterError };

export type Sender = (message: Outgoing) => Promise<SendOutcome>;

/**
 * Sends through the MESH client and turns its errors into adapter errors: a 4xx from the
 * hub (other than throttling) is permanent and names the MESH error; 5xx, throttling and
 * network failures are transient, for the source to retry later with the same local id.
 */
export function meshSender(client: MeshClient, destination: Destination): Sender {
  return async (message) => {
    try {
      const messageId = await client.send({ ...destination, ...message, contentType: 'application/xml' });
      return { ok: true, messageId };
    } catch (err) {
      return { ok: false, error: sendError(err) };
    }
  };
}

export function sendError(err: unknown): AdapterError {
  if (!(err instanceof MeshClientError)) throw err;
  const rejected = err.status !== undefined && err.status >= 400 && err.status < 500 && !isRetryable(err);
  return rejected
    ? adapterError('HUB_REJECTED', `the hub refused the message: ${err.message}`)
    : adapterError('HUB_UNAVAILABLE', `the hub could not take the message now: ${err.message}`);
}

/**
 * What a source does to its raw input before sending: check an XML document against its
 * XSD, or translate an HL7 v2 message into attendance XML. A `localId` here overrides the
 * one the source would derive (an HL7 message's control id is better than a file hash).
 * `skip` is input that is fine but not for the hub (an HL7 feed's other ADT events).
 */
export type Prepared =
  | { ok: true; body: Buffer; localId?: string }
  | { ok: true; skip: string }
  | { ok: false; error: AdapterError };

export type Prepare = (input: Buffer, name: string) => Prepared;
