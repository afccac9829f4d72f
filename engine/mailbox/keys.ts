/**
 * Redis key layout. Every key that changes with a message carries the hash tag of
 * the recipient mailbox, so each Lua script touches one Redis Cluster slot.
 * The only keys outside a mailbox's slot are lookups written before the atomic
 * step (message id to recipient), which are harmless if left behind.
 */
export class Keys {
  constructor(readonly prefix = 'cpisx:') {
    if (/[{}]/.test(prefix)) throw new Error('the key prefix must not contain { or }');
  }

  private slot(mailbox: string): string {
    return `${this.prefix}{mb:${mailbox}}`;
  }

  inbox(mailbox: string): string { return `${this.slot(mailbox)}:inbox`; }
  expiry(mailbox: string): string { return `${this.slot(mailbox)}:expiry`; }
  purge(mailbox: string): string { return `${this.slot(mailbox)}:purge`; }
  reportsPending(mailbox: string): string { return `${this.slot(mailbox)}:ndr-pending`; }
  handshake(mailbox: string): string { return `${this.slot(mailbox)}:handshake`; }
  meta(mailbox: string, id: string): string { return `${this.slot(mailbox)}:msg:${id}`; }
  body(mailbox: string, id: string): string { return `${this.slot(mailbox)}:body:${id}`; }
  /** Inflated size of each chunk while a chunked message uploads; gone once it is whole (or with its retention). */
  chunkSizes(mailbox: string, id: string): string { return `${this.slot(mailbox)}:sizes:${id}`; }
  sendOnce(mailbox: string, workflow: string, from: string, localId: string): string {
    return `${this.slot(mailbox)}:once:${workflow}:${from}:${localId}`;
  }
  /** A stand-in for the idempotency key when there is no local id: scripts need a key in the slot. */
  noSendOnce(mailbox: string): string { return `${this.slot(mailbox)}:once:-`; }

  recipientOf(id: string): string { return `${this.prefix}where:${id}`; }
  sentByLocalId(from: string, localId: string): string { return `${this.prefix}{mb:${from}}:sent-local:${localId}`; }
  nonce(mailbox: string, nonce: string, count: string): string { return `${this.prefix}nonce:${mailbox}:${nonce}:${count}`; }
}
