import type { MeshMessageHeaders } from '../mesh-client/index.js';

/** What the far side needs to drop repeats and tell messages apart; absent fields are left out. */
const FIELDS: [name: string, field: keyof MeshMessageHeaders][] = [
  ['mesh-message-id', 'messageId'],
  ['mesh-message-type', 'messageType'],
  ['mesh-workflow-id', 'workflowId'],
  ['mesh-from', 'from'],
  ['mesh-local-id', 'localId'],
  // On a REPORT: the message it reports on and the MESH status (14 undelivered).
  ['mesh-linked-message-id', 'linkedMsgId'],
  ['mesh-status-code', 'statusCode'],
];

/** The MESH ids a sink passes on with the body: `mesh-*` on AMQP, `x-mesh-*` on HTTP. */
export function deliveryHeaders(headers: MeshMessageHeaders, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of FIELDS) {
    const value = headers[field];
    if (value !== undefined && value !== '') out[prefix + name] = String(value);
  }
  return out;
}
