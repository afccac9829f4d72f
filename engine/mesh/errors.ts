/**
 * MESH errors as values: each kind carries the HTTP status, MESH event and code that
 * the API answers with (MESH.md "Errors"), so no caller matches on message text.
 */
export const MESH_ERRORS = {
  AUTH_FAILED: { status: 403, event: 'AUTH', code: '403', description: 'Invalid Authentication Token' },
  AUTH_REPLAYED: { status: 403, event: 'AUTH', code: '403', description: 'Error Duplicated Authentication Token' },
  AUTH_STALE: { status: 403, event: 'AUTH', code: '403', description: 'Authentication timestamp outside the allowed window' },
  MAILBOX_MISMATCH: { status: 403, event: 'AUTH', code: '403', description: 'Mailbox id does not match token' },
  BAD_ACCEPT: { status: 400, event: 'REQUEST', code: '400', description: 'Accept header api format incorrect' },
  BAD_REQUEST: { status: 400, event: 'REQUEST', code: '400', description: 'Bad request' },
  REQUEST_TIMEOUT: { status: 408, event: 'REQUEST', code: '408', description: 'The request did not arrive in time' },
  HEADERS_TOO_LARGE: { status: 431, event: 'REQUEST', code: '431', description: 'Request headers too large' },
  NO_SUCH_OPERATION: { status: 404, event: 'REQUEST', code: '404', description: 'No such MESH operation' },
  DATA_MISSING: { status: 417, event: 'SEND', code: '02', description: 'Data file is missing or inaccessible' },
  MALFORMED_HEADERS: { status: 400, event: 'SEND', code: '06', description: 'Malformed headers' },
  MISSING_TO: { status: 417, event: 'SEND', code: '08', description: 'TO_DTS missing' },
  MISSING_WORKFLOW: { status: 400, event: 'SEND', code: '06', description: 'mex-workflowid missing' },
  UNREGISTERED_RECIPIENT: { status: 417, event: 'SEND', code: '12', description: 'Unregistered to address' },
  SENDER_NOT_ALLOWED: { status: 403, event: 'SEND', code: '16', description: 'Sender is not allowed to send messages of this type' },
  WORKFLOW_NOT_REGISTERED: { status: 417, event: 'SEND', code: '17', description: 'Workflow ID not registered for mailbox' },
  BAD_CHUNK_RANGE: { status: 417, event: 'SEND', code: 'InvalidHeaderChunks', description: 'Invalid chunk values sent in mex-Chunk-Range header' },
  ENCODING_UNSUPPORTED: { status: 415, event: 'SEND', code: 'UnsupportedContentEncoding', description: 'Unsupported content encoding' },
  ENCODING_CHANGED: { status: 417, event: 'SEND', code: 'InvalidHeaderChunks', description: 'cannot change content encoding' },
  NOT_GZIP: { status: 400, event: 'SEND', code: '06', description: 'Body is not valid gzip although content-encoding is gzip' },
  TOO_LARGE: { status: 413, event: 'SEND', code: '06', description: 'Request body exceeds the size limit' },
  MESSAGE_COMPLETE: { status: 423, event: 'SEND', code: '423', description: 'Message upload is already complete' },
  NOT_FOUND: { status: 404, event: 'RECEIVE', code: '20', description: 'Message does not exist' },
  GONE: { status: 410, event: 'RECEIVE', code: '20', description: 'Message no longer available for download' },
  UNAVAILABLE: { status: 503, event: 'SERVICE', code: '503', description: 'Service unavailable, try again later' },
  INTERNAL: { status: 500, event: 'SERVICE', code: '500', description: 'An internal error occurred' },
} as const;

export type MeshErrorKind = keyof typeof MESH_ERRORS;

export class MeshError extends Error {
  readonly status: number;
  readonly event: string;
  readonly meshCode: string;

  constructor(
    readonly kind: MeshErrorKind,
    readonly detail?: string,
    readonly messageId?: string,
  ) {
    const def = MESH_ERRORS[kind];
    super(detail ? `${def.description}: ${detail}` : def.description);
    this.status = def.status;
    this.event = def.event;
    this.meshCode = def.code;
  }
}
