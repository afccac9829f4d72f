import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../log.js';
import type { HubMetrics } from '../../metrics/hub-metrics.js';
import { redisUnavailable } from '../../redis/unavailable.js';
import { peerCertificateFingerprint } from '../certificate.js';
import type { Caller, DoorRefusal, QueryCallers, QueryRefusal } from '../callers.js';
import type { QueryApi } from '../query-audit.js';
import type { Asker, QueryService } from '../query-service.js';

/** What both query surfaces (FHIR and HL7 v3) are given. */
export interface QueryRouteDeps {
  service: QueryService;
  callers: QueryCallers;
  metrics?: HubMetrics;
  log: Logger;
}

/** The caller's correlation headers, given back as they came so its logs and ours meet. */
const ECHOED = ['TraceID', 'X-Request-ID', 'X-Correlation-ID'];

export function echoCorrelation(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    for (const name of ECHOED) {
      const value = request.headers[name.toLowerCase()];
      if (typeof value === 'string') reply.header(name, value);
    }
  });
}

/**
 * What to tell a caller whose query met Redis failing over, reconnecting or short of
 * replicas: it may ask again (503). undefined for any other failure. Logged with the reason,
 * which names internal addresses and so is not told.
 */
export function unavailableAnswer(deps: QueryRouteDeps, request: FastifyRequest, err: Error & { code?: string }): string | undefined {
  if (!redisUnavailable(err)) return undefined;
  deps.log.warn('query refused: Redis unavailable', { requestId: request.id, error: err.message });
  return err.code === 'REPLICATION_SHORTFALL'
    ? 'the register could not confirm the view on its replicas; ask again'
    : 'the register cannot be reached just now; ask again';
}

/** The client by its bearer token or, over mutual TLS, its certificate; within its rate limit. */
export function authenticate(deps: QueryRouteDeps, request: FastifyRequest): Promise<Caller | DoorRefusal> {
  return deps.callers.authenticate({ headers: request.headers, peerCertificateFingerprint: peerCertificateFingerprint(request.raw.socket) });
}

/**
 * A refusal at the door is audited when its client is known (not allowed, over its rate limit),
 * under `code`, the code the API answers with: every query, answered or refused, is audited,
 * except that a client over its rate limit is audited once per Retry-After window (the metrics
 * count every refusal). An unauthenticated request names nobody, so it is only counted in the metrics.
 */
export async function auditDoorRefusal(deps: QueryRouteDeps, refusal: DoorRefusal, api: QueryApi, code: string, nhsNumber?: string): Promise<void> {
  if (!refusal.caller) return;
  const oncePerMs = refusal.refused === 'RATE_LIMITED' ? (refusal.retryAfterSeconds ?? 1) * 1000 : undefined;
  await deps.service.refused({ api, asker: askerOf(refusal.caller), nhsNumber }, code, oncePerMs);
}

export function askerOf(caller: Caller): Asker {
  const { client, organisation } = caller;
  return { clientId: client.id, careSetting: { ods: organisation.ods, name: client.name ?? organisation.name, departmentType: client.departmentType } };
}

/** A 429 says when to come back. */
export function retryAfter(reply: FastifyReply, refusal: QueryRefusal): void {
  if (refusal.retryAfterSeconds !== undefined) reply.header('Retry-After', String(refusal.retryAfterSeconds));
}

/** Times a query from its request to its answer and counts its outcome: `ok`, the code it was refused with, or FAILED. */
export async function timed(deps: QueryRouteDeps, api: QueryApi, work: () => Promise<string>): Promise<void> {
  const started = process.hrtime.bigint();
  let outcome = 'FAILED';
  try {
    outcome = await work();
  } finally {
    deps.metrics?.queried(api, outcome, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/** Where the request was addressed: the self link and fullUrls are built on it. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
