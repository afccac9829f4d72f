import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditEventBundle } from '../../cpis/fhir/audit-event.js';
import type { FhirRequest } from '../../cpis/fhir/bundle.js';
import { capabilityStatement } from '../../cpis/fhir/capability-statement.js';
import { careTeamBundle } from '../../cpis/fhir/care-team.js';
import { frameworkRefusal, operationOutcome, type FhirIssueCode, type FhirRefusal } from '../../cpis/fhir/operation-outcome.js';
import { checkAuditEventInclude, parsePatientIdentifier, parseUnscheduled, type Query } from '../../cpis/fhir/search-request.js';
import type { FlagAnswer } from '../../cpis/types.js';
import { isRefusal, type QueryRefusalCode } from '../callers.js';
import type { QueryApi } from '../query-audit.js';
import type { Shown } from '../query-service.js';
import { askerOf, auditDoorRefusal, authenticate, echoCorrelation, requestOrigin, retryAfter, timed, unavailableAnswer, type QueryRouteDeps } from './asking.js';

/** Where the hub serves the FHIR API, as NHS England's base URLs end. */
export const FHIR_PREFIX = '/cpis/FHIR/R4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

const REFUSALS: Record<QueryRefusalCode, FhirIssueCode> = {
  UNAUTHENTICATED: 'NOT_AUTHENTICATED',
  ACCESS_DENIED: 'ACCESS_DENIED',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  NO_STATED_USER: 'PRECONDITION_FAILED',
};

type Render = (answer: FlagAnswer, request: FhirRequest) => object;

interface Search {
  api: QueryApi;
  render: Render;
  /** What its answer shows, which decides what it records (query-service.ts Shown). */
  shows: Shown;
  /** Parameters this search takes beyond the patient's identifier. */
  check?: (query: Query) => { ok: true } | FhirRefusal;
}

const SEARCHES: Record<string, Search> = {
  CareTeam: { api: 'fhir-careteam', render: careTeamBundle, shows: { plans: true, history: false } },
  // Records nothing, whatever IsUnscheduledAccessEvent says: the look was the CareTeam search's.
  AuditEvent: { api: 'fhir-auditevent', render: auditEventBundle, shows: { plans: false, history: true }, check: checkAuditEventInclude },
};

/**
 * The CP-IS FHIR R4 API (../shared/reference/cpis-fhir/README.md): the CareTeam and
 * AuditEvent searches by NHS number, and the CapabilityStatement. Every answer, failures
 * included, is FHIR JSON; failures are OperationOutcomes with NHS England's Spine codes.
 */
export async function fhirPlugin(app: FastifyInstance, deps: QueryRouteDeps): Promise<void> {
  echoCorrelation(app);
  app.setNotFoundHandler((request, reply) => outcome(reply, 'RESOURCE_NOT_FOUND', `${request.method} ${pathOf(request)} is not an interaction of this API`));
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    if (err.statusCode !== undefined && err.statusCode < 500) return outcome(reply, frameworkRefusal(err.statusCode), `the request could not be read: ${err.message}`);
    const unavailable = unavailableAnswer(deps, request, err);
    if (unavailable) return outcome(reply, 'UNABLE_TO_CALL_SERVICE', unavailable);
    deps.log.error('FHIR query failed', { requestId: request.id, error: err.message });
    return outcome(reply, 'FAILURE_TO_PROCESS_MESSAGE', `the query could not be answered; quote request ${request.id} to support`);
  });
  app.get('/metadata', async (request, reply) => fhir(reply, 200, capabilityStatement(baseOf(request, app.prefix))));
  for (const [resource, search] of Object.entries(SEARCHES)) {
    app.get(`/${resource}`, (request, reply) => timed(deps, search.api, () => answer(deps, search, request, reply, app.prefix)));
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url: `/${resource}`,
      handler: async (request, reply) => outcome(reply, 'INVALID_METHOD', `${request.method} is not supported: ${resource} is searched with GET`),
    });
  }
}

async function answer(deps: QueryRouteDeps, search: Search, request: FastifyRequest, reply: FastifyReply, prefix: string): Promise<string> {
  const query = request.query as Query;
  const patient = parsePatientIdentifier(query);
  const caller = await authenticate(deps, request);
  if (isRefusal(caller)) {
    await auditDoorRefusal(deps, caller, search.api, REFUSALS[caller.refused], patient.ok ? patient.nhsNumber : undefined);
    retryAfter(reply, caller);
    outcome(reply, REFUSALS[caller.refused], caller.message);
    return caller.refused;
  }
  const asker = askerOf(caller);
  const refuse = async ({ code, diagnostics }: FhirRefusal): Promise<string> => {
    await deps.service.refused({ api: search.api, asker, nhsNumber: patient.ok ? patient.nhsNumber : undefined }, code);
    outcome(reply, code, diagnostics);
    return code;
  };
  if (!patient.ok) return refuse(patient);
  const unscheduled = parseUnscheduled(request.headers['isunscheduledaccessevent']);
  if (!unscheduled.ok) return refuse(unscheduled);
  const extra = search.check?.(query);
  if (extra && !extra.ok) return refuse(extra);
  const viewedBy = deps.callers.statedAccessor(request.headers, caller);
  if (isRefusal(viewedBy)) return refuse({ ok: false, code: REFUSALS[viewedBy.refused], diagnostics: viewedBy.message });
  const found = await deps.service.ask({
    // X-Request-ID alone names the query: a retry sends it again (as NHS England's APIs use it).
    // TraceID correlates calls and may stay the same across a session, so it names no query.
    api: search.api, asker, queryId: header(request, 'x-request-id'), nhsNumber: patient.nhsNumber, viewedBy, unscheduled: unscheduled.unscheduled, shows: search.shows,
  });
  const base = baseOf(request, prefix);
  fhir(reply, 200, search.render(found, { base, self: `${requestOrigin(request)}${request.url}`, bundleId: randomUUID() }));
  return 'ok';
}

/** Also how a request refused before routing (a malformed URL) is answered under the prefix. */
export function outcome(reply: FastifyReply, code: FhirIssueCode, diagnostics: string): FastifyReply {
  const { status, body } = operationOutcome(code, diagnostics);
  return fhir(reply, status, body);
}

function fhir(reply: FastifyReply, status: number, body: object): FastifyReply {
  return reply.code(status).type(FHIR_JSON).send(body);
}

function baseOf(request: FastifyRequest, prefix: string): string {
  return `${requestOrigin(request)}${prefix}`;
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0];
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
