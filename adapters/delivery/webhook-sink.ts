import type { Delivery, Sink } from '../core/delivery.js';
import { deliveryHeaders } from './delivery-headers.js';
import { deliverable } from './report-document.js';
import { sinkFailure, systemCode } from './sink-failure.js';

export interface WebhookSinkOptions {
  url: string;
  /** The whole exchange, up to the answer's status line. */
  timeoutMs: number;
  /** Sent with every request, e.g. an authorization header the receiver expects. */
  headers?: Record<string, string>;
}

/**
 * POSTs each message as XML with its MESH ids in `x-mesh-*` headers; only a 2xx answer
 * counts as delivered. The receiver should drop repeats by `x-mesh-message-id`: a message
 * whose 2xx was lost on the way back is posted again.
 */
export function webhookSink(options: WebhookSinkOptions): Sink {
  const target = new URL(options.url);
  // Names the receiver in errors without any credentials the URL may carry.
  const where = `${target.origin}${target.pathname}`;
  return {
    kind: 'webhook',
    async deliver(message: Delivery) {
      const response = await post(target, message, options).catch((err: unknown) => {
        throw isTimeout(err)
          ? sinkFailure('SINK_TIMEOUT', `webhook ${where} did not answer within ${options.timeoutMs} ms`)
          : sinkFailure('SINK_FAILED', `webhook ${where} could not be reached (${systemCode(err)})`);
      });
      // The answer's body means nothing to us; dropping it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) throw sinkFailure('SINK_FAILED', `webhook ${where} answered ${response.status}`);
    },
    async close() {},
  };
}

function post(target: URL, message: Delivery, options: WebhookSinkOptions): Promise<Response> {
  return fetch(target, {
    method: 'POST',
    headers: { ...options.headers, ...deliveryHeaders(message.headers, 'x-'), 'content-type': 'application/xml' },
    body: new Uint8Array(deliverable(message).body),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
}

function isTimeout(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'TimeoutError';
}
