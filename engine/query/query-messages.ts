import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { newMessageId } from '../mailbox/message-id.js';
import { QueryKeys } from './keys.js';

/** A client retrying a query does so within minutes; two days covers a weekend's outage too. */
const REMEMBERED_SECONDS = 2 * 24 * 3600;

/**
 * Gives each query a hub message id, the one its notification orders derive theirs from,
 * so an unscheduled query notifies each LA once however often the client retries it. The
 * first attempt mints a MESH-style id (an LA's inbox lists by id, oldest first); a retry
 * under the same query id, by the same client, about the same person, gets that id back.
 */
export class QueryMessages {
  private readonly keys: QueryKeys;

  constructor(private readonly redis: Redis, prefix: string) {
    this.keys = new QueryKeys(prefix);
  }

  async idFor(clientId: string, queryId: string, nhsNumber: string): Promise<string> {
    const digest = createHash('sha256').update(JSON.stringify([clientId, queryId, nhsNumber])).digest('hex');
    const minted = newMessageId();
    const earlier = await this.redis.set(this.keys.message(digest), minted, 'EX', REMEMBERED_SECONDS, 'NX', 'GET');
    return earlier ?? minted;
  }
}
