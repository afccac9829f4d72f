export {
  MeshClient,
  type DownloadedMessage,
  type InboxQuery,
  type MailboxMatch,
  type MeshClientOptions,
  type MessageStatus,
  type SendRequest,
  type TrackingInfo,
} from './client.js';
export { MeshClientError, type MeshErrorFields } from './errors.js';
export type { MeshMessageHeaders, MessageDescription } from './message-headers.js';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
