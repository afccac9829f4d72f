import type { MailboxEntry } from '../directory.js';
import type { MeshError } from '../errors.js';
import type { StoredMessage } from '../../mailbox/message.js';
import type { ApiVersion } from './version.js';

export interface InboxLinks {
  self: string;
  next?: string;
}

/**
 * The shapes of MESH API responses. The two API versions differ only here
 * (mesh-sandbox keeps the same split); handlers produce plain results.
 */
export interface View {
  mediaType: string;
  send(id: string): object;
  chunk(id: string, n: number): object;
  inbox(ids: string[], links: InboxLinks, count: number): object;
  count(n: number, internalId: string): object;
  /** Undefined where the version answers with no body (v2, as the OpenAPI text says). */
  acknowledge(id: string): object | undefined;
  tracking(message: StoredMessage, sender: MailboxEntry | undefined, recipient: MailboxEntry | undefined): object;
  lookup(mailboxes: MailboxEntry[]): object;
  handshake(mailboxId: string): object | undefined;
  error(err: MeshError, internalId: string): object;
}

const v1: View = {
  mediaType: 'application/json',
  send: (id) => ({ messageID: id }),
  chunk: (id, n) => ({ messageID: id, blockID: n }),
  inbox: (ids) => ({ messages: ids }),
  count: (n, internalId) => ({ count: n, internalID: internalId, allResultsIncluded: true }),
  acknowledge: (id) => ({ messageId: id }),
  tracking: (m, sender, recipient) => ({
    addressType: 'ALL',
    checksum: m.checksum ?? '',
    chunkCount: m.totalChunks,
    compressFlag: m.compressed ? 'Y' : '',
    contentEncoding: m.contentEncoding ?? '',
    downloadTimestamp: compact(m.acknowledgedAt),
    dtsId: m.id,
    encryptedFlag: m.encrypted ? 'Y' : '',
    expiryTime: compact(m.expiresAt),
    failureDate: m.status === 'undeliverable' || m.status === 'error' ? compact(m.statusAt) : undefined,
    failureDiagnostic: m.status === 'undeliverable' || m.status === 'error' ? m.statusDescription : undefined,
    fileName: m.fileName ?? `${m.id}.dat`,
    fileSize: m.size,
    isCompressed: m.compressed ? 'Y' : '',
    linkedMsgId: m.linkedMsgId,
    localId: m.localId,
    meshRecipientOdsCode: recipient?.organisation.ods,
    messageId: m.id,
    messageType: m.type === 'DATA' ? 'Data' : 'Report',
    partnerId: m.partnerId ?? '',
    recipient: m.to,
    recipientName: recipient?.name,
    recipientOrgCode: recipient?.organisation.ods,
    recipientOrgName: recipient?.organisation.name,
    sender: m.from,
    senderName: sender?.name,
    senderOdsCode: sender?.organisation.ods,
    senderOrgCode: sender?.organisation.ods,
    senderOrgName: sender?.organisation.name,
    status: m.status.charAt(0).toUpperCase() + m.status.slice(1),
    statusCode: m.statusCode,
    statusDescription: m.statusDescription,
    statusEvent: m.statusEvent,
    statusSuccess: succeeded(m) ? 'SUCCESS' : 'ERROR',
    statusTimestamp: compact(m.statusAt),
    subject: m.subject,
    uploadTimestamp: compact(m.createdAt),
    version: '1.0',
    workflowId: m.workflowId,
  }),
  lookup: (mailboxes) => ({
    query_id: `${Date.now()}`,
    results: mailboxes.map((m) => ({ address: m.id, description: m.name, endpoint_type: 'MESH' })),
  }),
  handshake: (mailboxId) => ({ mailboxId }),
  error: (err) => ({ messageID: err.messageId, errorEvent: err.event, errorCode: err.meshCode, errorDescription: err.message }),
};

const v2: View = {
  mediaType: 'application/vnd.mesh.v2+json',
  send: (id) => ({ message_id: id }),
  chunk: (id) => ({ message_id: id }),
  inbox: (ids, links, count) => ({ messages: ids, links, approx_inbox_count: count }),
  count: (n) => ({ count: n }),
  acknowledge: () => undefined,
  tracking: (m, _sender, recipient) => ({
    message_id: m.id,
    local_id: m.localId ?? null,
    workflow_id: m.workflowId,
    filename: m.fileName ?? null,
    expiry_time: iso(m.expiresAt),
    upload_timestamp: iso(m.createdAt),
    recipient: m.to,
    recipient_name: recipient?.name ?? null,
    recipient_ods_code: recipient?.organisation.ods ?? null,
    recipient_org_code: recipient?.organisation.ods ?? null,
    recipient_org_name: recipient?.organisation.name ?? null,
    status_success: succeeded(m),
    status: m.status,
    status_event: m.statusEvent ?? null,
    status_timestamp: iso(m.statusAt),
    status_description: m.statusDescription ?? null,
    status_code: m.statusCode ?? null,
  }),
  lookup: (mailboxes) => ({ results: mailboxes.map((m) => ({ mailbox_id: m.id, mailbox_name: m.name })) }),
  handshake: () => undefined,
  error: (err, internalId) => ({
    message_id: err.messageId ?? null,
    internal_id: internalId,
    detail: [{ event: err.event, code: err.meshCode, msg: err.message }],
  }),
};

export function viewFor(version: ApiVersion): View {
  return version === 2 ? v2 : v1;
}

function succeeded(m: StoredMessage): boolean {
  return m.type === 'DATA' && m.status !== 'undeliverable' && m.status !== 'error';
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** `yyyyMMddHHmmss`, the timestamp format of v1 bodies and status headers. */
export function compact(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace(/[-T:]/g, '').slice(0, 14);
}
