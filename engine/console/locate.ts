import type { Redis } from 'ioredis';
import type { StoredMessage } from '../mailbox/message.js';
import type { RedisMailboxStore } from '../mailbox/redis-store.js';

/** A stored message found by id alone, in whichever mailbox received it. */
export type Locate = (messageId: string) => Promise<StoredMessage | undefined>;

/** Reads the store's own id-to-recipient lookup (kept as long as the content). */
export function locator(redis: Redis, store: RedisMailboxStore): Locate {
  return async (messageId) => {
    const to = await redis.get(store.keys.recipientOf(messageId));
    return to ? store.get(to, messageId) : undefined;
  };
}
