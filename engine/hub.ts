import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { HubConfig } from './config/load.js';
import type { CpisSettings } from './config/schema.js';
import { RegisterKeys } from './register/keys.js';
import { RedisRegister } from './register/redis-register.js';
import { buildHttpApp } from './http/app.js';
import { createLogger, type Logger } from './log.js';
import { AuditLog } from './console/audit.js';
import { ConsoleKeys } from './console/keys.js';
import { SharedAuditCheck } from './console/shared-audit-check.js';
import { AuditChainGauges } from './metrics/audit-chain.js';
import { HubMetrics } from './metrics/hub-metrics.js';
import { watchRedisPersistence } from './metrics/redis-persistence.js';
import { ExpirySweeper } from './mailbox/expiry.js';
import { Keys } from './mailbox/keys.js';
import { RedisMailboxStore } from './mailbox/redis-store.js';
import { Directory } from './mesh/directory.js';
import { FailedMessages } from './operations/failed-messages.js';
import { Arrivals } from './pipeline/arrivals.js';
import { AttemptLog } from './pipeline/attempt-log.js';
import { attendanceHandler } from './pipeline/attendance-worker.js';
import { failureNotice } from './pipeline/failure-notice.js';
import { notificationHandler } from './pipeline/notification-worker.js';
import { planUpdateHandler } from './pipeline/plan-update-worker.js';
import { openQueues } from './pipeline/queues.js';
import type { WorkerContext } from './pipeline/worker-context.js';
import { CpisWorkers } from './pipeline/workers.js';
import { FailedIndex } from './operations/failed-index.js';
import { MessageIndex } from './search/message-index.js';
import { MessageSearch } from './search/message-search.js';
import { SearchKeys } from './search/search-keys.js';
import { QueryCallers } from './query/callers.js';
import type { QueryRouteDeps } from './query/http/asking.js';
import { QueryAudit } from './query/query-audit.js';
import { QueryMessages } from './query/query-messages.js';
import { QueryService } from './query/query-service.js';
import { RateLimiter } from './query/rate-limit.js';
import { QueryTokens } from './query/tokens.js';
import { checkRedis, connectRedis, logConnectionErrors } from './redis/connect.js';
import { redisReadiness } from './redis/readiness.js';
import { Replicas } from './redis/replicas.js';
import type { RedisSettings } from './redis/settings.js';

/** `api` serves MESH; `worker` runs the CP-IS workers; `all` does both in one process. */
export type HubRole = 'all' | 'api' | 'worker';

export interface HubOptions {
  config: HubConfig;
  redis: RedisSettings;
  port: number;
  host?: string;
  /** Redis key prefix; tests give each hub its own. */
  keyPrefix?: string;
  role?: HubRole;
  log?: Logger;
}

export interface Hub {
  /** A worker-only process serves health and metrics only. */
  url: string;
  app: FastifyInstance;
  store: RedisMailboxStore;
  sweeper: ExpirySweeper;
  /** Present when the configuration has a `cpis` section. */
  failed?: FailedMessages;
  arrivals?: Arrivals;
  stop(): Promise<void>;
}

/**
 * Connects to Redis and checks it, then, by role: serves the MESH API with expiry on a
 * timer, and runs the CP-IS workers with the sweep that finds unqueued arrivals.
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  const { config } = options;
  const role = options.role ?? 'all';
  const log = options.log ?? createLogger('hub');
  const redis = connectRedis(options.redis);
  let warnings: string[];
  try {
    warnings = await checkRedis(redis, options.redis);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  // Nothing is logged before Redis answers, so a start that fails there is the caller's one line.
  log.info('configuration loaded', { file: config.file });
  if (config.sample) log.warn('running a sample configuration: its passwords and shared key are public test values', { file: config.file });
  for (const warning of warnings) log.warn(warning);
  logConnectionErrors(redis, log);
  const replicas = new Replicas(redis, options.redis.replicaAcks, options.redis.replicaAckTimeout);
  const durably = <T>(writes: () => Promise<T>) => replicas.durably(writes);
  const prefix = options.keyPrefix ?? 'cpisx:';
  const stops: (() => Promise<unknown>)[] = [];
  const every = (ms: number, task: () => Promise<unknown>, what: string) => {
    const timer = setInterval(() => { task().catch((err: Error) => log.error(`${what} failed`, { error: err.message })); }, ms);
    stops.push(async () => clearInterval(timer));
  };

  const lifetimes = { undeliveredAfterMs: config.mesh.undeliveredAfter, deleteContentAfterMs: config.mesh.deleteContentAfter };
  const directory = new Directory(config);
  const searchKeys = new SearchKeys(prefix);
  const index = new MessageIndex(redis, searchKeys, lifetimes.deleteContentAfterMs);
  const store = new RedisMailboxStore(redis, lifetimes, new Keys(prefix), index);
  // The hub's own inbox is drained by its workers; what waits there is held for staff, never expired.
  const swept = () => directory.allMailboxes().map((m) => m.id).filter((id) => id !== config.cpis?.hubMailbox);
  const metrics = new HubMetrics();
  metrics.expectWorkflows(config.workflows.map((w) => w.id));
  const sweeper = new ExpirySweeper(redis, store, lifetimes, swept, log, new Keys(prefix), metrics, index);
  await watchRedisPersistence(metrics.registry, redis);
  const cpis = config.cpis ? await startCpis(config.cpis, { redisSettings: options.redis, durably, redis, store, directory, prefix, role, log, every, stops, metrics, index, searchKeys }) : undefined;

  // Every role listens: health and metrics always, the MESH API and the console unless worker-only.
  const serving = role !== 'worker';
  const app = await buildHttpApp({
    health: { ready: () => redisReadiness(redis, replicas.required) },
    tls: config.mesh.tls,
    metrics: { metrics, store, directory, queues: cpis?.queues },
    mesh: serving ? {
      store, directory, log, durably, sharedKey: config.sharedKey, authWindowMs: config.mesh.authWindow, maxRequestBytes: config.mesh.maxRequestBytes,
      onAccepted: (m) => { metrics.accepted(m); cpis?.arrivals.accepted(m); },
      onAcknowledged: (m) => metrics.delivered(m.workflowId),
    } : undefined,
    console: serving && config.console ? {
      settings: config.console, redis, keyPrefix: prefix, store, directory, secureCookies: Boolean(config.mesh.tls), log,
      search: new MessageSearch(redis, index, store),
      cpis: cpis && config.cpis && { settings: config.cpis, ...cpis },
    } : undefined,
    query: serving && cpis && config.cpis ? queryRoutes(config, config.cpis, { redis, store, directory, prefix, log, metrics, durably, ...cpis }) : undefined,
  });
  const url = await app.listen({ port: options.port, host: options.host ?? '0.0.0.0' });
  if (serving) every(config.mesh.expirySweepEvery, () => sweeper.sweep(), 'expiry sweep');
  if (serving && config.console) watchAuditChain(redis, new ConsoleKeys(prefix), metrics, config.console.auditCheckEvery, every, log);
  log.info('hub listening', { url, role, mailboxes: directory.allMailboxes().length });
  return {
    url, app, store, sweeper, failed: cpis?.failed, arrivals: cpis?.arrivals,
    async stop() {
      await app.close();
      for (const stop of stops.reverse()) await stop();
      await redis.quit();
    },
  };
}

/** Checks at start (in the background) and then on the timer; the process that walks logs the walk, and a break with where it is. */
function watchAuditChain(redis: Redis, keys: ConsoleKeys, metrics: HubMetrics, everyMs: number, every: Every, log: Logger): void {
  const audit = new AuditLog(redis, keys);
  const gauges = new AuditChainGauges(metrics.registry, new SharedAuditCheck(redis, keys, everyMs, () => audit.verify()));
  const check = async () => {
    const started = Date.now();
    const latest = await gauges.check();
    if (!latest?.walked) return;
    const { check: result } = latest;
    log.info('audit chain walked', { entries: result.count, ms: Date.now() - started });
    if (!result.ok) log.error('audit chain broken', { brokenAt: result.broken.id, problem: result.broken.problem, intactEntries: result.count });
  };
  check().catch((err: Error) => log.error('audit chain check failed', { error: err.message }));
  every(everyMs, check, 'audit chain check');
}

type Every = (ms: number, task: () => Promise<unknown>, what: string) => void;

interface QueryParts {
  redis: Redis;
  store: RedisMailboxStore;
  directory: Directory;
  prefix: string;
  log: Logger;
  metrics: HubMetrics;
  register: RedisRegister;
  arrivals: Arrivals;
  durably: <T>(writes: () => Promise<T>) => Promise<T>;
}

/** The point-of-care query answers from the register the workers keep, and orders notifications into their pipeline. */
function queryRoutes(config: HubConfig, settings: CpisSettings, parts: QueryParts): QueryRouteDeps & { tokens: QueryTokens; hubAsid: string } {
  const { redis, prefix } = parts;
  const tokens = new QueryTokens(redis, prefix);
  const flag = {
    store: parts.store, directory: parts.directory, register: parts.register, settings,
    // The order is kept in the hub's inbox before the answer; queueing it is the 202's fast path, which the sweep backs.
    enqueue: async (id: string, workflowId: string) => parts.arrivals.accepted({ id, to: settings.hubMailbox, workflowId }),
  };
  return {
    tokens,
    hubAsid: settings.asid,
    callers: new QueryCallers(config, tokens, new RateLimiter(redis, prefix)),
    service: new QueryService({ flag, messages: new QueryMessages(redis, prefix), audit: new QueryAudit(redis, prefix), durably: parts.durably }),
    metrics: parts.metrics,
    log: parts.log,
  };
}

interface CpisParts {
  redisSettings: RedisSettings;
  durably: <T>(writes: () => Promise<T>) => Promise<T>;
  redis: Redis;
  store: RedisMailboxStore;
  directory: Directory;
  prefix: string;
  role: HubRole;
  log: Logger;
  every: Every;
  stops: (() => Promise<unknown>)[];
  metrics: HubMetrics;
  index: MessageIndex;
  searchKeys: SearchKeys;
}

/** Queues always (the API queues what it accepts); workers and the arrivals sweep unless this is an API-only process. */
async function startCpis(settings: CpisSettings, parts: CpisParts) {
  const { redis, store, directory, prefix, log, stops } = parts;
  // BullMQ blocks on its connections, so it gets its own.
  const bull = connectRedis(parts.redisSettings, 'blocking');
  logConnectionErrors(bull, log);
  const queues = openQueues(bull, prefix, log);
  const attempts = new AttemptLog(redis, prefix);
  const arrivals = new Arrivals(queues, store, settings, log);
  const failed = new FailedMessages(
    queues, store, attempts, settings.hubMailbox, log, (w) => directory.maxMessageBytes(w), new FailedIndex(redis, parts.searchKeys), parts.metrics,
  );
  const register = new RedisRegister(redis, { keys: new RegisterKeys(prefix) });
  stops.push(async () => { await Promise.all(Object.values(queues).map((q) => q.close())); await bull.quit(); });
  if (parts.role !== 'api') {
    const ctx: WorkerContext = {
      store, directory, register, settings, log, index: parts.index,
      enqueue: (id, workflowId) => arrivals.enqueue(id, workflowId),
    };
    const workers = new CpisWorkers({
      connection: bull, keyPrefix: prefix, store, attempts, settings, log,
      handlers: {
        [settings.workflows.planUpdate]: planUpdateHandler(ctx),
        [settings.workflows.attendance]: attendanceHandler(ctx),
        [settings.workflows.accessNotification]: notificationHandler(ctx),
      },
      maxMessageBytes: (workflowId) => directory.maxMessageBytes(workflowId),
      notifyFailure: failureNotice(ctx),
      observe: { processed: (m) => parts.metrics.processed(m), held: (m, reason) => { parts.metrics.held(m, reason); return failed.held(m, reason); } },
      durably: parts.durably,
    });
    stops.push(() => workers.stop(settings.shutdownDeadline));
    // In the background: a long backlog after a crash must not keep the process from serving health and metrics.
    arrivals.sweep().catch((err: Error) => log.error('arrivals sweep failed', { error: err.message }));
    failed.reindex().catch((err: Error) => log.error('failed-message reindex failed', { error: err.message }));
    parts.every(settings.sweepEvery, () => arrivals.sweep(), 'arrivals sweep');
    log.info('CP-IS workers running', { mailbox: settings.hubMailbox, concurrency: settings.concurrency });
  }
  return { arrivals, failed, queues, register };
}
