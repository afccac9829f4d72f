/**
 * Redis key layout of the point-of-care query. Each script or command touches one key.
 * Message ids and the audit share the hash tag `{query}`; a token or a rate bucket's name is
 * its own hash tag, so in Redis Cluster tokens and buckets spread over slots rather than share one.
 */
export class QueryKeys {
  constructor(private readonly prefix = 'cpisx:') {
    if (/[{}]/.test(prefix)) throw new Error('the key prefix must not contain { or }');
  }

  /** String: the hub message id a query was given, by a digest of who asked what under which id. */
  message(digest: string): string { return `${this.prefix}{query}:message:${digest}`; }
  /** Stream: one entry per query answered or refused. */
  audit(): string { return `${this.prefix}{query}:audit`; }
  /** String, expiring: a refusal already on the audit within its window (query-audit.ts recordOncePer). */
  repeat(what: string): string { return `${this.prefix}{query}:audited:${what}`; }
  /** Holds the client id under a digest of the token, so a Redis dump hands out no live token. */
  token(digest: string): string { return `${this.prefix}query:token:{${digest}}`; }
  rate(bucket: string): string { return `${this.prefix}query:rate:{${bucket}}`; }
}
