import { randomUUID } from 'node:crypto';
import { BulkReplays, STALLED_AFTER_MS } from '../../engine/operations/bulk-replay.js';
import type { FailedMessages } from '../../engine/operations/failed-messages.js';
import { deleteKeys, memoryLogger, testRedis } from '../support/hub.js';

/** A bulk replay whose process stopped part way must not show "running" for ever. */
test('an operation that stops moving reads as interrupted, and one that moves as running', async () => {
  const redis = testRedis();
  const prefix = `test:bulk:${randomUUID().slice(0, 8)}:`;
  // The first replay never returns, as if the hub had stopped in the middle of it.
  const stuck = { replay: () => new Promise<void>(() => undefined) } as unknown as FailedMessages;
  try {
    const bulk = new BulkReplays(redis, prefix, stuck, memoryLogger());
    const { operationId } = await bulk.start(['a', 'b', 'c'], async () => undefined);
    expect(await bulk.progress(operationId)).toEqual({ total: 3, done: 0, failed: 0, state: 'running' });
    expect(await bulk.progress(operationId, Date.now() + STALLED_AFTER_MS + 1000)).toEqual({ total: 3, done: 0, failed: 0, state: 'interrupted' });
    expect(await bulk.progress('no-such-operation')).toBeUndefined();
  } finally {
    await deleteKeys(`${prefix}*`);
    redis.disconnect();
  }
});
