import type { Cluster, Redis } from 'ioredis';

/**
 * Defines a Lua script whose number of keys varies per call, so it is passed first, before
 * the keys. On a Cluster, ioredis's auto-pipelining batches a command with the others bound
 * for the node of its first argument, taken as its key: for such a script that is the count,
 * whose slot is unrelated, and the batch is then refused ("All keys in the pipeline should
 * belong to the same slots allocation group"). Such a script is sent on its own there,
 * routed by its real keys. A single Redis has one batch for everything: nothing changes.
 */
export function defineVariableKeyScript(redis: Redis, name: string, lua: string): void {
  redis.defineCommand(name, { lua });
  if (!redis.isCluster) return;
  const { options } = redis as unknown as Cluster;
  // A new array: the default one may be shared by every cluster client in the process.
  options.autoPipeliningIgnoredCommands = [...(options.autoPipeliningIgnoredCommands ?? []), name];
}
