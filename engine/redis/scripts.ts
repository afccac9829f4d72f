import type { Redis } from 'ioredis';

/**
 * Defines a Lua script as a command of `redis`, once per connection. `numberOfKeys` is
 * fixed for most scripts; a script whose key count varies per call takes the count as its
 * first argument instead. On a Cluster, ioredis's auto-pipelining groups a call by the slot
 * of its first argument, so such a script would join the pipeline of whichever node serves
 * slot("3") and be refused there with everything it was pipelined with. On a Cluster it is
 * therefore sent on its own, where ioredis routes it by its first key.
 */
export function defineScript(redis: Redis, name: string, lua: string, numberOfKeys?: number): void {
  if (typeof (redis as unknown as Record<string, unknown>)[name] === 'function') return;
  redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { numberOfKeys, lua });
  if (numberOfKeys === undefined && redis.isCluster) {
    // A fresh array: ioredis may share its default one between connections.
    redis.options.autoPipeliningIgnoredCommands = [...(redis.options.autoPipeliningIgnoredCommands ?? []), name];
  }
}
