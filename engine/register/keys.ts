/**
 * Redis key layout of the register. Every key carries the one hash tag `{reg}`, so a
 * batch's reads, its version checks and its atomic write all touch one Redis Cluster
 * slot. The trade-off: the whole register lives on one shard and cannot be spread over
 * a cluster. That is acceptable at CP-IS scale (England holds on the order of 10^5
 * plans), and it is what lets a 1,000-record batch commit as one script.
 */
export class RegisterKeys {
  constructor(readonly prefix = 'cpisx:') {
    if (/[{}]/.test(prefix)) throw new Error('the key prefix must not contain { or }');
  }

  private get tag(): string { return `${this.prefix}{reg}`; }

  /** Hash: record id to record JSON, plus the version field. */
  person(nhsNumber: string): string { return `${this.tag}:nhs:${nhsNumber}`; }
  /** Counter that hands out versions; never reset, so a version is never reused even after a key is deleted. */
  clock(): string { return `${this.tag}:clock`; }
  /**
   * Hash: position to RecordResult JSON, for one upload of one LA. The upload is its
   * sequence and a digest of its records: a different file that reuses a sequence is
   * another upload, while a resend of the same records is the same one.
   */
  results(laOds: string, sequence: number | string, digest: string): string { return `${this.tag}:results:${laOds}:${sequence}:${digest}`; }
  /** Hash: the office and emergency phones an LA's latest upload gave. */
  contacts(laOds: string): string { return `${this.tag}:contacts:${laOds}`; }
  /** Sorted set by time: the most recent accesses. */
  accesses(nhsNumber: string): string { return `${this.tag}:access:${nhsNumber}`; }
  /** Sorted set by time: accesses already counted, as `ODS|attendance or query id`. */
  accessSeen(nhsNumber: string): string { return `${this.tag}:access-seen:${nhsNumber}`; }
}

/** A record id always holds two ':' (rules.ts recordId), so this field can never clash with one. */
export const VERSION_FIELD = '~v';
