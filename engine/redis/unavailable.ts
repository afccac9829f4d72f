/**
 * Whether an error means Redis cannot take this request now but will soon (a failover, a
 * reconnect, a cluster moving slots, a write not yet on its replicas): the caller answers
 * "unavailable, try again" (MESH 503), which clients retry, rather than "internal error".
 *
 * Redis names its errors by the reply's first word (MOVED, CLUSTERDOWN, READONLY...), which
 * is the protocol's error code; ioredis gives a few of its own only as fixed texts, matched
 * exactly here so that nothing else is matched by accident.
 */
export function redisUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code !== undefined && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ClusterAllFailedError') return true;
  const message = e.message ?? '';
  if (e.name === 'ReplyError') return UNAVAILABLE_REPLIES.has(message.split(' ', 1)[0]);
  return IOREDIS_TEXTS.some((text) => message.startsWith(text));
}

/** Node socket codes, and the hub's own code for a write that its replicas did not confirm. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'REPLICATION_SHORTFALL']);

/** Replies that a failover or a slot move gives, and that the same command will not get once it is over. */
const UNAVAILABLE_REPLIES = new Set(['MOVED', 'ASK', 'CLUSTERDOWN', 'TRYAGAIN', 'READONLY', 'LOADING', 'MASTERDOWN', 'NOREPLICAS']);

/** ioredis's fixed texts for a connection lost under a command, a Sentinel group without a master, and endless redirections. */
const IOREDIS_TEXTS = ['Connection is closed.', 'All sentinels are unreachable', 'Too many Cluster redirections', 'Stream isn\'t writeable'];
