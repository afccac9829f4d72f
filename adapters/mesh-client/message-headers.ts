import { MeshClientError } from './errors.js';

/** What the sender says about a message, as `mex-*` headers on send. */
export interface MessageDescription {
  /** Recipient mailbox id. */
  to: string;
  workflowId: string;
  /** The sender's own reference; also the hub's deduplication key for resends. */
  localId?: string;
  subject?: string;
  fileName?: string;
  /** Content type of the decoded message. */
  contentType?: string;
}

/** The `mex-*` headers of a downloaded message (MESH.md, "Download response"). */
export interface MeshMessageHeaders {
  messageId: string;
  messageType: 'DATA' | 'REPORT';
  from?: string;
  to?: string;
  workflowId?: string;
  localId?: string;
  subject?: string;
  fileName?: string;
  contentType?: string;
  partnerId?: string;
  checksum?: string;
  addressType?: string;
  version?: string;
  totalChunks?: number;
  /** `00` is success; `14` undelivered, and the other MESH error codes, on REPORTs. */
  statusCode?: string;
  statusEvent?: string;
  statusDescription?: string;
  /** From `mex-statussuccess`: SUCCESS is true, ERROR is false. */
  statusSuccess?: boolean;
  /** `YYYYMMDDHHMMSS`, as MESH gives it. */
  statusTimestamp?: string;
  /** On a REPORT: the message it reports on. */
  linkedMsgId?: string;
}

/** Send headers; values are checked here because fetch would otherwise reject them as a generic TypeError. */
export function describeHeaders(d: MessageDescription): Record<string, string> {
  const headers: Record<string, string> = {
    'mex-to': d.to,
    'mex-workflowid': d.workflowId,
    'content-type': d.contentType ?? 'application/octet-stream',
  };
  if (d.localId !== undefined) headers['mex-localid'] = d.localId;
  if (d.subject !== undefined) headers['mex-subject'] = d.subject;
  if (d.fileName !== undefined) headers['mex-filename'] = d.fileName;
  if (d.contentType !== undefined) headers['mex-content-type'] = d.contentType;
  for (const [name, value] of Object.entries(headers)) checkHeaderValue(name, value);
  return headers;
}

/**
 * HTTP header values are bytes: printable Latin-1 only. MESH treats control characters
 * in addressing headers as malformed (error 06), so they are refused before sending.
 */
function checkHeaderValue(name: string, value: string): void {
  if (!/^[\x20-\x7e\xa0-\xff]*$/.test(value)) {
    throw new MeshClientError({ code: 'INVALID_ARGUMENT', description: `${name} must be printable Latin-1 text` });
  }
  if ((name === 'mex-to' || name === 'mex-workflowid') && value.trim() === '') {
    throw new MeshClientError({ code: 'INVALID_ARGUMENT', description: `${name} is required` });
  }
}

export function readMessageHeaders(h: Headers, requestedId: string): MeshMessageHeaders {
  const get = (name: string) => h.get(name) ?? undefined;
  const success = get('mex-statussuccess')?.toUpperCase();
  const totalChunks = Number(get('mex-total-chunks'));
  return {
    messageId: get('mex-messageid') ?? requestedId,
    // MESH knows only DATA and REPORT; a missing header is read as DATA, the common case.
    messageType: get('mex-messagetype')?.toUpperCase() === 'REPORT' ? 'REPORT' : 'DATA',
    from: get('mex-from'),
    to: get('mex-to'),
    workflowId: get('mex-workflowid'),
    localId: get('mex-localid'),
    subject: get('mex-subject'),
    fileName: get('mex-filename'),
    contentType: get('mex-content-type') ?? get('content-type'),
    partnerId: get('mex-partnerid'),
    checksum: get('mex-content-checksum'),
    addressType: get('mex-addresstype'),
    version: get('mex-version'),
    totalChunks: Number.isInteger(totalChunks) && totalChunks > 0 ? totalChunks : undefined,
    statusCode: get('mex-statuscode'),
    statusEvent: get('mex-statusevent'),
    statusDescription: get('mex-statusdescription'),
    statusSuccess: success === 'SUCCESS' ? true : success === 'ERROR' ? false : undefined,
    statusTimestamp: get('mex-statustimestamp'),
    linkedMsgId: get('mex-linkedmsgid'),
  };
}
