import type { FastifyInstance } from 'fastify';
import type { HubConfig } from './config/load.js';
import { buildHttpApp } from './http/app.js';
import { createLogger, type Logger } from './log.js';
import { ExpirySweeper } from './mailbox/expiry.js';
import { Keys } from './mailbox/keys.js';
import { RedisMailboxStore } from './mailbox/redis-store.js';
import { Directory } from './mesh/directory.js';
import { checkRedis, connectRedis } from './redis/connect.js';

export interface HubOptions {
  config: HubConfig;
  redisUrl: string;
  port: number;
  host?: string;
  /** Redis key prefix; tests give each hub its own. */
  keyPrefix?: string;
  log?: Logger;
}

export interface Hub {
  app: FastifyInstance;
  url: string;
  store: RedisMailboxStore;
  sweeper: ExpirySweeper;
  stop(): Promise<void>;
}

/** Connects to Redis, checks it, and serves the MESH API with expiry running on a timer. */
export async function startHub(options: HubOptions): Promise<Hub> {
  const { config } = options;
  const log = options.log ?? createLogger('hub');
  const redis = connectRedis(options.redisUrl);
  try {
    await checkRedis(redis, log);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const keys = new Keys(options.keyPrefix);
  const lifetimes = { undeliveredAfterMs: config.mesh.undeliveredAfter, deleteContentAfterMs: config.mesh.deleteContentAfter };
  const directory = new Directory(config);
  const store = new RedisMailboxStore(redis, lifetimes, keys);
  const sweeper = new ExpirySweeper(redis, lifetimes, () => directory.allMailboxes().map((m) => m.id), log, keys);
  const app = await buildHttpApp(
    { store, directory, log, sharedKey: config.sharedKey, authWindowMs: config.mesh.authWindow, maxRequestBytes: config.mesh.maxRequestBytes },
    { ready: async () => (await redis.ping()) === 'PONG' },
    config.mesh.tls,
  );
  const url = await app.listen({ port: options.port, host: options.host ?? '0.0.0.0' });
  const timer = setInterval(() => {
    sweeper.sweep().catch((err: Error) => log.error('expiry sweep failed', { error: err.message }));
  }, config.mesh.expirySweepEvery);
  log.info('hub listening', { url, mailboxes: directory.allMailboxes().length });
  return {
    app, url, store, sweeper,
    async stop() {
      clearInterval(timer);
      await app.close();
      await redis.quit();
    },
  };
}
