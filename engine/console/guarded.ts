import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { OperationError } from '../operations/failed-messages.js';
import { redisUnavailable } from '../redis/unavailable.js';
import type { Role } from './accounts.js';
import type { AuditAction, AuditLog } from './audit.js';
import { ConsoleError } from './errors.js';
import type { Caller, Gate } from './gate.js';

/** What a route's work produced: the answer, and what its audit event should say. */
export interface Answer {
  body?: unknown;
  status?: number;
  detail?: string;
  /** The messages acted on, when the route works them out (a bulk replay). */
  messageIds?: string[];
}

export interface Guard {
  role: Role;
  /**
   * Changes are audited, refusals included; reads are not, except a search that names a
   * patient, which `when` picks out.
   */
  audit?: {
    action: AuditAction;
    when?: (req: FastifyRequest) => boolean;
    messageIds?: (req: FastifyRequest) => string[];
    detail?: (req: FastifyRequest) => string | undefined;
  };
  run(req: FastifyRequest, caller: Caller, reply: FastifyReply): Promise<Answer>;
}

export type Params = Record<string, string>;
export const messageParam = (req: FastifyRequest) => [(req.params as Params).id];

/** Any error as the API's error value; Redis failing over is UNAVAILABLE; any other fault is logged by the caller and answered as INTERNAL. */
export function asConsoleError(err: unknown): ConsoleError {
  if (err instanceof ConsoleError) return err;
  if (err instanceof OperationError) return new ConsoleError(err.code, err.message, err.details.length ? err.details : undefined);
  return new ConsoleError(redisUnavailable(err) ? 'UNAVAILABLE' : 'INTERNAL');
}

/**
 * Wraps a route in the checks every console route makes, in order: a session (401),
 * the CSRF token on a POST (403), the role (403); then audits the outcome, whether
 * done or refused, with who, when, from where and which messages.
 */
export function guarded(gate: Gate, audit: AuditLog, guard: Guard): RouteHandlerMethod {
  return async (req, reply) => {
    const caller = await gate.identify(req);
    // Stamped when asked, so the event comes before whatever the action sets off.
    const at = new Date().toISOString();
    let answer: Answer = {};
    try {
      if (req.method === 'POST') gate.checkCsrf(caller, req);
      gate.checkRole(caller, guard.role);
      answer = await guard.run(req, caller, reply);
      await record(audit, guard, { req, caller, at }, 'ok', answer);
    } catch (err) {
      await record(audit, guard, { req, caller, at }, asConsoleError(err).code, answer);
      throw err;
    }
    reply.code(answer.status ?? 200);
    return answer.body ?? null;
  };
}

interface Request {
  req: FastifyRequest;
  caller: Caller;
  at: string;
}

async function record(audit: AuditLog, guard: Guard, { req, caller, at }: Request, outcome: 'ok' | ConsoleError['code'], answer: Answer) {
  if (!guard.audit || guard.audit.when?.(req) === false) return;
  await audit.append({
    at,
    user: caller.account.username,
    ip: req.ip,
    action: guard.audit.action,
    messageIds: answer.messageIds ?? guard.audit.messageIds?.(req) ?? [],
    outcome,
    ...detailOf(guard, req, answer),
  });
}

function detailOf(guard: Guard, req: FastifyRequest, answer: Answer): { detail?: string } {
  const detail = answer.detail ?? guard.audit?.detail?.(req);
  return detail ? { detail: detail.slice(0, 1000) } : {};
}
