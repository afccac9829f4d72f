import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseDmsQuery } from '../../cpis/dms/query.js';
import { buildDmsQueryRefusal, type DmsQueryRefusal } from '../../cpis/dms/query-refusal.js';
import { buildDmsQueryAnswer } from '../../cpis/dms/query-response.js';
import type { DmsReplyContext } from '../../cpis/dms/wrapper.js';
import { isRefusal, type QueryRefusal, type QueryRefusalCode } from '../callers.js';
import { askerOf, auditDoorRefusal, authenticate, echoCorrelation, retryAfter, timed, unavailableAnswer, type QueryRouteDeps } from './asking.js';

export interface Hl7v3Deps extends QueryRouteDeps {
  /** The hub's own ASID, the sender of its replies. */
  hubAsid: string;
}

export const HL7V3_PREFIX = '/cpis/hl7v3';

/** A query is a few kilobytes; anything near this is not one. */
const MAX_QUERY_BYTES = 256 * 1024;
const XML_TYPES = ['application/xml', 'text/xml', 'application/hl7-v3+xml'];
const XML = 'application/xml; charset=utf-8';

const STATUS: Record<QueryRefusalCode, number> = { UNAUTHENTICATED: 401, ACCESS_DENIED: 403, RATE_LIMITED: 429, NO_STATED_USER: 400 };

/**
 * The national CP-IS NHS query over HTTP: `POST /cpis/hl7v3/query` with a QUPC_IN000006GB01,
 * answered with a REPC_IN000007GB01 (records grouped per LA, with the access history) or a
 * QUQI_IN010000UK14 No Records Found. Refusals are MCCI_IN010000UK13 acknowledgements with the
 * HTTP status the FHIR API would give the same fault.
 */
export async function hl7v3Plugin(app: FastifyInstance, deps: Hl7v3Deps): Promise<void> {
  echoCorrelation(app);
  app.addContentTypeParser(XML_TYPES, { parseAs: 'buffer', bodyLimit: MAX_QUERY_BYTES }, (_req, body, done) => done(null, body));
  const refuse: Refuse = (reply, status, refusal) => sendRefusal(reply, deps.hubAsid, status, refusal);
  app.setNotFoundHandler((request, reply) => refuse(reply, 404, { code: 'NOT_FOUND', message: `${request.method} ${request.url.split('?')[0]} is not this API's; queries are POSTed to /cpis/hl7v3/query` }));
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    if (err.statusCode !== undefined && err.statusCode < 500) return refuse(reply, err.statusCode, { code: 'UNREADABLE_REQUEST', message: `the request could not be read: ${err.message}` });
    const unavailable = unavailableAnswer(deps, request, err);
    if (unavailable) return refuse(reply, 503, { code: 'UNAVAILABLE', message: unavailable, transient: true });
    deps.log.error('HL7 v3 query failed', { requestId: request.id, error: err.message });
    return refuse(reply, 500, { code: 'FAILED', message: `the query could not be answered; quote request ${request.id} to support`, transient: true });
  });
  app.post('/query', (request, reply) => timed(deps, 'hl7v3', () => answer(deps, request, reply, refuse)));
}

type Refuse = (reply: FastifyReply, status: number, refusal: DmsQueryRefusal) => FastifyReply;

async function answer(deps: Hl7v3Deps, request: FastifyRequest, reply: FastifyReply, refuse: Refuse): Promise<string> {
  const caller = await authenticate(deps, request);
  if (isRefusal(caller)) {
    // The body of a refused client is not read: the door refusal is audited without the person.
    await auditDoorRefusal(deps, caller, 'hl7v3', caller.refused);
    retryAfter(reply, caller);
    refuse(reply, STATUS[caller.refused], { code: caller.refused, message: caller.message });
    return caller.refused;
  }
  const asker = askerOf(caller);
  const senderAsid = caller.client.asid;
  if (!Buffer.isBuffer(request.body)) {
    await deps.service.refused({ api: 'hl7v3', asker }, 'UNSUPPORTED_MEDIA_TYPE');
    refuse(reply, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: `send the query as XML (${XML_TYPES.join(', ')})`, senderAsid });
    return 'UNSUPPORTED_MEDIA_TYPE';
  }
  const parsed = parseDmsQuery(request.body);
  if (!parsed.ok) {
    await deps.service.refused({ api: 'hl7v3', asker }, parsed.error.code);
    refuse(reply, 400, { senderAsid, ...parsed.error });
    return parsed.error.code;
  }
  const query = parsed.value;
  const refuseQuery = async ({ refused, message }: QueryRefusal): Promise<string> => {
    await deps.service.refused({ api: 'hl7v3', asker, nhsNumber: query.nhsNumber, queryId: query.queryId }, refused);
    refuse(reply, STATUS[refused], { code: refused, message, messageId: query.messageId, senderAsid: query.senderAsid });
    return refused;
  };
  // A client asks for its own organisation only, whatever the query's author says.
  if (!deps.callers.mayActFor(caller, query.organisation.ods)) {
    return refuseQuery({ refused: 'ACCESS_DENIED', message: `query client ${caller.client.id} may not ask on behalf of organisation ${query.organisation.ods}` });
  }
  // A system author naming no nominated person is recorded against the client's responsible
  // person, if it has one, asking through that system (its ASID, not the client's).
  const viewedBy = query.viewedBy ?? deps.callers.statedAccessor(request.headers, caller, query.systemAsid);
  if (isRefusal(viewedBy)) return refuseQuery(viewedBy);
  const found = await deps.service.ask({ api: 'hl7v3', asker, queryId: query.queryId, nhsNumber: query.nhsNumber, viewedBy, unscheduled: query.unscheduled, shows: { plans: true, history: true } });
  reply.type(XML).send(buildDmsQueryAnswer(found, { ...replyContext(deps.hubAsid), query }));
  return 'ok';
}

/** Also how a request refused before routing (a malformed URL) is answered under the prefix. */
export function sendRefusal(reply: FastifyReply, hubAsid: string, status: number, refusal: DmsQueryRefusal): FastifyReply {
  return reply.code(status).type(XML).send(buildDmsQueryRefusal(refusal, replyContext(hubAsid)));
}

function replyContext(hubAsid: string): DmsReplyContext {
  return { messageId: randomUUID().toUpperCase(), at: new Date().toISOString(), hubAsid };
}
