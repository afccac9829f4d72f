import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../auth.js';
import type { MailboxEntry } from '../directory.js';
import { redisUnavailable } from '../../redis/unavailable.js';
import { MeshError } from '../errors.js';
import { header } from '../headers.js';
import type { MeshContext } from '../handlers/context.js';
import { download } from '../handlers/download.js';
import { handshake } from '../handlers/handshake.js';
import { acknowledge, listInbox, type InboxQuery } from '../handlers/inbox.js';
import { sendChunk, sendMessage } from '../handlers/send.js';
import { track } from '../handlers/tracking.js';
import { apiVersion } from './version.js';
import { viewFor, type View } from './views.js';

type Params = Record<string, string>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set before the body is read: who is calling and which response shapes they asked for. */
    mesh: { mailbox: MailboxEntry; view: View } | null;
  }
}

interface Call {
  req: FastifyRequest;
  reply: FastifyReply;
  params: Params;
  query: Params;
  view: View;
  mailbox: MailboxEntry;
}
type Operation = (call: Call) => Promise<unknown>;

/** The MESH API v2 (and v1 shapes) under /messageexchange, as a plugin given its context. */
export async function meshPlugin(app: FastifyInstance, ctx: MeshContext): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.maxRequestBytes }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, req, reply) => sendError(ctx, err, req, reply));
  app.decorateRequest('mesh', null);

  await app.register((api) => meshRoutes(api, ctx), { prefix: '/messageexchange' });
}

async function meshRoutes(app: FastifyInstance, ctx: MeshContext): Promise<void> {
  // Scoped to /messageexchange by the prefix: a client that calls an operation we do not have
  // (a wrong method or path) still gets a MESH error in JSON, as MESH clients parse every answer.
  app.setNotFoundHandler((req, reply) => sendError(ctx, new MeshError('NO_SUCH_OPERATION', `${req.method} ${req.url.split('?')[0]}`), req, reply));
  const mailboxRoute = (method: 'GET' | 'POST' | 'PUT' | 'HEAD', url: string, op: Operation) =>
    app.route({ method, url: `/:mailbox${url}`, exposeHeadRoute: false, onRequest: authenticated(ctx, true), handler: call(op) });
  const lookupRoute = (url: string, op: Operation) =>
    app.route({ method: 'GET', url, exposeHeadRoute: false, onRequest: authenticated(ctx, false), handler: call(op) });

  const handshakeOp: Operation = async ({ req, view, mailbox }) => {
    await handshake(ctx, mailbox, req.headers);
    return view.handshake(mailbox.id);
  };
  mailboxRoute('POST', '', handshakeOp);
  mailboxRoute('GET', '', handshakeOp);
  mailboxRoute('GET', '/inbox', async ({ query, view, mailbox }) => {
    const listing = await listInbox(ctx, mailbox, query as InboxQuery);
    return view.inbox(listing.ids, listing.links, listing.count);
  });
  mailboxRoute('GET', '/count', async ({ req, view, mailbox }) => view.count(await ctx.store.count(mailbox.id), req.id));
  const downloadOp = (headOnly: boolean): Operation => async ({ req, reply, params, mailbox }) => {
    const result = await download(ctx, mailbox, params.id.toUpperCase(), params.chunk, header(req.headers, 'accept-encoding') ?? '', headOnly);
    reply.code(result.status).headers(result.headers);
    return result.body;
  };
  mailboxRoute('GET', '/inbox/:id', downloadOp(false));
  mailboxRoute('HEAD', '/inbox/:id', downloadOp(true));
  mailboxRoute('GET', '/inbox/:id/:chunk', downloadOp(false));
  mailboxRoute('PUT', '/inbox/:id/status/acknowledged', async ({ params, view, mailbox }) => {
    const id = params.id.toUpperCase();
    await ctx.durably(() => acknowledge(ctx, mailbox, id));
    return view.acknowledge(id);
  });
  mailboxRoute('POST', '/outbox', async ({ req, reply, view, mailbox }) => {
    const { id } = await ctx.durably(() => sendMessage(ctx, mailbox, req));
    reply.code(202);
    return view.send(id);
  });
  mailboxRoute('POST', '/outbox/:id/:chunk', async ({ req, reply, params, view, mailbox }) => {
    const id = params.id.toUpperCase();
    await ctx.durably(() => sendChunk(ctx, mailbox, id, params.chunk, req));
    reply.code(202);
    return view.chunk(id, Number(params.chunk));
  });
  const trackingOp = (by: (call: Call) => { messageId?: string; localId?: string }): Operation => async (c) => {
    const t = await track(ctx, c.mailbox, by(c));
    return c.view.tracking(t.message, t.sender, t.recipient);
  };
  mailboxRoute('GET', '/outbox/tracking', trackingOp(({ query }) => ({ messageId: query.messageID })));
  // A wildcard, not a :param, because the router caps parameters at 100 characters and a local id may be 300.
  mailboxRoute('GET', '/outbox/tracking/*', trackingOp(({ params }) => ({ localId: params['*'] })));
  lookupRoute('/endpointlookup/:ods/:workflow', async ({ params, view }) =>
    view.lookup(ctx.directory.endpointLookup(params.ods.toUpperCase(), params.workflow)));
  lookupRoute('/workflowsearch/:workflow', async ({ params, view }) => view.lookup(ctx.directory.workflowSearch(params.workflow)));
}

/**
 * Runs before the body is read, so a caller without a good token cannot make the hub
 * hold a large upload in memory.
 */
function authenticated(ctx: MeshContext, mailboxInPath: boolean) {
  return async (req: FastifyRequest) => {
    const view = viewFor(apiVersion(header(req.headers, 'accept')));
    const pathMailbox = mailboxInPath ? (req.params as Params).mailbox.toUpperCase() : undefined;
    req.mesh = { view, mailbox: await authenticate(ctx, req.headers, pathMailbox) };
  };
}

function call(op: Operation) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const { view, mailbox } = req.mesh!;
    const params = req.params as Params;
    const result = await op({ req, reply, params, query: singleValues(req.query as Record<string, string | string[]>), view, mailbox });
    // v2 answers some operations (acknowledge, handshake) with no body at all, not an empty object.
    if (result === undefined || Buffer.isBuffer(result) || result instanceof Readable) return reply.send(result);
    return reply.type(view.mediaType).send(result);
  };
}

/** The query string, one value per name: a repeated parameter is a bad request, not an array to trip over. */
function singleValues(query: Record<string, string | string[]>): Params {
  const repeated = Object.keys(query).find((name) => Array.isArray(query[name]));
  if (repeated !== undefined) throw new MeshError('BAD_REQUEST', `${repeated} is given more than once`);
  return query as Params;
}

/** Every refusal in the MESH error shape, for the plugin and for errors Fastify meets before routing. */
export function sendError(ctx: MeshContext, err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const meshError = asMeshError(err);
  if (meshError.kind === 'INTERNAL') ctx.log.error('request failed', { requestId: req.id, url: req.routeOptions.url, error: (err as Error).message });
  if (meshError.kind === 'UNAVAILABLE') ctx.log.warn('request refused: Redis unavailable', { requestId: req.id, url: req.routeOptions.url, error: (err as Error).message });
  let view: View;
  try {
    view = viewFor(apiVersion(header(req.headers, 'accept')));
  } catch {
    view = viewFor(1);
  }
  if (req.method === 'HEAD') {
    reply.code(meshError.status).send();
    return;
  }
  reply.code(meshError.status).type(view.mediaType).send(view.error(meshError, req.id));
}

function asMeshError(err: unknown): MeshError {
  if (err instanceof MeshError) return err;
  const e = err as { code?: string; name?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new MeshError('TOO_LARGE');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new MeshError('BAD_REQUEST', e.message);
  // Redis down, failing over, or a write not yet on enough replicas to survive a failover (it may be stored):
  // the client sends again (a first send with the same mex-localid gets the same message id; chunks and
  // acknowledgements repeat harmlessly).
  // Only the replicas' shortfall is told to the client; a socket or cluster error names internal addresses (it is logged).
  if (redisUnavailable(err)) return new MeshError('UNAVAILABLE', e.code === 'REPLICATION_SHORTFALL' ? e.message : undefined);
  return new MeshError('INTERNAL');
}
