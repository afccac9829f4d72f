import type { FastifyError, FastifyInstance } from 'fastify';
import { BulkReplays } from '../operations/bulk-replay.js';
import { EditReplay } from '../operations/edit-replay.js';
import { AttemptLog } from '../pipeline/attempt-log.js';
import { QueryAudit } from '../query/query-audit.js';
import { Accounts } from './accounts.js';
import { actionRoutes } from './action-routes.js';
import { adminRoutes } from './admin-routes.js';
import { AuditLog } from './audit.js';
import { authRoutes } from './auth-routes.js';
import type { ConsoleApiOptions, ConsoleContext } from './context.js';
import { API_HEADERS, consoleRefusal, sendConsoleError, toJson } from './error-answer.js';
import { ConsoleError } from './errors.js';
import { Gate } from './gate.js';
import { ConsoleKeys } from './keys.js';
import { Lockout } from './lockout.js';
import { MessageViews } from './message-view.js';
import { searchRoutes } from './search-routes.js';
import { readRoutes } from './read-routes.js';
import { Sessions } from './sessions.js';

export type { ConsoleApiOptions } from './context.js';

/**
 * The support console's JSON API (docs/CONSOLE-API.md), mounted at /console/api.
 * Every answer is JSON, never HTML: message text travels as a JSON string with `<`
 * escaped, under nosniff and a CSP that allows nothing.
 */
export async function consoleApiPlugin(app: FastifyInstance, options: ConsoleApiOptions): Promise<void> {
  const ctx = consoleContext(options);
  app.setReplySerializer(toJson);
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(API_HEADERS);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const answer = consoleRefusal(err);
    if (answer.code === 'INTERNAL') options.log.error('console request failed', { method: req.method, url: req.routeOptions.url, error: err.message });
    if (answer.code === 'UNAVAILABLE') options.log.warn('console request refused: Redis unavailable', { method: req.method, url: req.routeOptions.url, error: err.message });
    return sendConsoleError(reply, answer);
  });
  app.setNotFoundHandler((_req, reply) => sendConsoleError(reply, new ConsoleError('NOT_FOUND')));
  await authRoutes(app, ctx);
  await readRoutes(app, ctx);
  await searchRoutes(app, ctx);
  await actionRoutes(app, ctx);
  await adminRoutes(app, ctx);
}

function consoleContext(options: ConsoleApiOptions): ConsoleContext {
  const { redis, keyPrefix, settings, store, directory, cpis } = options;
  const keys = new ConsoleKeys(keyPrefix);
  const accounts = new Accounts(settings.users);
  const sessions = new Sessions(redis, keys, settings.sessionIdle);
  const audit = new AuditLog(redis, keys);
  const operations = cpis && {
    ...cpis,
    bulk: new BulkReplays(redis, keyPrefix, cpis.failed, options.log),
    edits: new EditReplay({ redis, prefix: keyPrefix, failed: cpis.failed, store, arrivals: cpis.arrivals, settings: cpis.settings, log: options.log }),
  };
  const views = new MessageViews({
    store, directory, attempts: new AttemptLog(redis, keyPrefix), audit, failed: cpis?.failed, edits: operations?.edits,
  });
  return {
    ...options, accounts, sessions, audit, views, operations,
    queries: new QueryAudit(redis, keyPrefix),
    lockout: new Lockout(redis, keys, { attempts: settings.lockout.attempts, forMs: settings.lockout.for }),
    gate: new Gate(accounts, sessions, options.secureCookies),
  };
}
