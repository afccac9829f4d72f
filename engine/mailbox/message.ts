/** A message as the mailbox store keeps it (MESH.md "Lifecycle"). */
export type MessageStatus = 'uploading' | 'accepted' | 'acknowledged' | 'undeliverable' | 'error';
export type MessageType = 'DATA' | 'REPORT';

export interface MessageMetadata {
  localId?: string;
  subject?: string;
  fileName?: string;
  partnerId?: string;
  contentType?: string;
  /** `gzip` when the stored chunks are gzipped as the sender sent them. */
  contentEncoding?: string;
  checksum?: string;
  encrypted?: boolean;
  compressed?: boolean;
}

export interface MessageStatusDetail {
  statusCode?: string;
  statusEvent?: string;
  statusDescription?: string;
  linkedMsgId?: string;
  /** On a report: the mailbox that did not collect the linked message. */
  linkedTo?: string;
}

export interface NewMessage extends MessageMetadata, MessageStatusDetail {
  id: string;
  from: string;
  to: string;
  workflowId: string;
  type: MessageType;
  totalChunks: number;
}

export interface StoredMessage extends NewMessage {
  status: MessageStatus;
  createdAt: number;
  statusAt: number;
  acceptedAt?: number;
  acknowledgedAt?: number;
  expiresAt?: number;
  size: number;
}

const NUMBERS = ['totalChunks', 'createdAt', 'statusAt', 'acceptedAt', 'acknowledgedAt', 'expiresAt', 'size'] as const;
const BOOLEANS = ['encrypted', 'compressed'] as const;

/** Flattens a message to hash field/value pairs, leaving out what is unset. */
export function toFields(message: Partial<StoredMessage>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(message)) {
    if (value === undefined || value === null || value === '') continue;
    out.push(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return out;
}

export function fromHash(hash: Record<string, string>): StoredMessage | undefined {
  if (!hash.id) return undefined;
  const message: Record<string, unknown> = { ...hash };
  for (const key of NUMBERS) if (hash[key] !== undefined) message[key] = Number(hash[key]);
  for (const key of BOOLEANS) if (hash[key] !== undefined) message[key] = hash[key] === '1';
  message.size ??= 0;
  return message as unknown as StoredMessage;
}
