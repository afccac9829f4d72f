/**
 * Redis key layout of the point-of-care query. The hash tag `{query}` keeps the query's
 * keys on one Redis Cluster slot, apart from the register's and the mailboxes'.
 */
export class QueryKeys {
  constructor(readonly prefix = 'cpisx:') {
    if (/[{}]/.test(prefix)) throw new Error('the key prefix must not contain { or }');
  }

  private get tag(): string { return `${this.prefix}{query}`; }

  /** String: the hub message id a query was given, by a digest of who asked what under which id. */
  message(digest: string): string { return `${this.tag}:message:${digest}`; }
  /** Stream: one entry per query answered or refused. */
  audit(): string { return `${this.tag}:audit`; }
}
