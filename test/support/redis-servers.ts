import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';

/* What the local Sentinel group and Cluster share: asking one redis-server on a port, and stopping them all. */

/** SIGKILLs one server and resolves once it has exited (at once if it already had). */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** SIGKILLs every server still running, then removes their folder. */
export async function stopAll(children: Map<number, ChildProcess>, dir: string): Promise<void> {
  await Promise.all([...children.values()].map(kill));
  rmSync(dir, { recursive: true, force: true });
}

/** PONG from the server on `port`, or undefined while it is not up. */
export async function ping(port: number): Promise<true | undefined> {
  try {
    return (await command(port, 'PING')) === 'PONG' ? true : undefined;
  } catch {
    return undefined;
  }
}

/** One command to the server on `port`, on a connection of its own. */
export async function command(port: number, name: string, ...args: string[]): Promise<unknown> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined); // refused while it starts: asked again
  try {
    await redis.connect();
    return await redis.call(name, ...args);
  } finally {
    redis.disconnect();
  }
}
