/**
 * The point-of-care query's Redis keys. Each script touches one key; a rate bucket's name is
 * its hash tag, so in Redis Cluster the buckets spread over slots rather than share one.
 */
export class QueryKeys {
  constructor(private readonly prefix = 'cpisx:') {}

  /** Holds the client id under a digest of the token, so a Redis dump hands out no live token. */
  token(digest: string): string { return `${this.prefix}query:token:${digest}`; }
  rate(bucket: string): string { return `${this.prefix}query:rate:{${bucket}}`; }
}
