import { readFileSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { MeshSettings } from '../config/schema.js';
import { consoleApiPlugin, type ConsoleApiOptions } from '../console/console-api-plugin.js';
import { consoleRefusal, isConsolePath, sendConsoleError } from '../console/error-answer.js';
import { consoleUiPlugin } from '../console/ui/ui-plugin.js';
import type { MeshContext } from '../mesh/handlers/context.js';
import { metricsPlugin, type MetricsDeps } from '../metrics/metrics-plugin.js';
import { meshClientErrorHandler } from '../mesh/http/client-error.js';
import { meshPlugin, sendError } from '../mesh/http/mesh-plugin.js';
import type { QueryRouteDeps } from '../query/http/asking.js';
import { FHIR_PREFIX, fhirPlugin, outcome } from '../query/http/fhir-plugin.js';
import { HL7V3_PREFIX, hl7v3Plugin, sendRefusal } from '../query/http/hl7v3-plugin.js';
import { tokenPlugin } from '../query/http/token-plugin.js';
import type { QueryTokens } from '../query/tokens.js';
import { healthPlugin, type HealthChecks } from './health-plugin.js';

export interface HttpSurfaces {
  health: HealthChecks;
  /** The MESH API; absent in a worker-only process, which serves health and metrics alone. */
  mesh?: MeshContext;
  metrics?: MetricsDeps;
  console?: ConsoleApiOptions;
  /** The point-of-care query (FHIR and HL7 v3) and the token endpoint its clients sign in at. */
  query?: QueryRouteDeps & { tokens: QueryTokens; hubAsid: string };
  tls?: MeshSettings['tls'];
}

/** The hub's HTTP surface: the MESH API, health, metrics and the console, each a plugin given its dependencies. */
export async function buildHttpApp(surfaces: HttpSurfaces): Promise<FastifyInstance> {
  const { mesh, tls } = surfaces;
  const app = Fastify({
    logger: false,
    bodyLimit: mesh?.maxRequestBytes,
    requestIdHeader: false,
    genReqId: requestId,
    // A bad URL encoding or an over-long path is refused before routing, and a malformed head
    // before Fastify sees it at all: still answer as the console or MESH does.
    frameworkErrors: (err, req, reply) => refusedBeforeRouting(surfaces, err, req, reply as FastifyReply),
    ...(mesh ? { clientErrorHandler: meshClientErrorHandler(requestId) } : {}),
    ...(tls ? { https: httpsOptions(tls) } : {}),
  } satisfies FastifyServerOptions);
  await app.register(healthPlugin, surfaces.health);
  if (mesh) await app.register(meshPlugin, mesh);
  if (surfaces.console) await app.register(consoleApiPlugin, { prefix: '/console/api', ...surfaces.console });
  if (surfaces.console) await app.register(consoleUiPlugin, { prefix: '/console' });
  if (surfaces.query) await registerQuery(app, surfaces.query);
  if (surfaces.metrics) await app.register(metricsPlugin, surfaces.metrics);
  return app;
}

async function registerQuery(app: FastifyInstance, query: NonNullable<HttpSurfaces['query']>): Promise<void> {
  await app.register(tokenPlugin, { callers: query.callers, tokens: query.tokens, log: query.log });
  await app.register(fhirPlugin, { prefix: FHIR_PREFIX, ...query });
  await app.register(hl7v3Plugin, { prefix: HL7V3_PREFIX, ...query });
}

function refusedBeforeRouting(surfaces: HttpSurfaces, err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const unreadable = `the request could not be read: ${err.message}`;
  if (surfaces.console && isConsolePath(req.url)) sendConsoleError(reply, consoleRefusal(err));
  else if (surfaces.query && req.url.startsWith(FHIR_PREFIX)) outcome(reply, 'INVALID_SEARCH_DATA', unreadable);
  else if (surfaces.query && req.url.startsWith(HL7V3_PREFIX)) sendRefusal(reply, surfaces.query.hubAsid, 400, { code: 'UNREADABLE_REQUEST', message: unreadable });
  else if (surfaces.mesh) sendError(surfaces.mesh, err, req, reply);
  else reply.send(err);
}

function requestId(): string {
  return `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

function httpsOptions(tls: NonNullable<MeshSettings['tls']>) {
  return {
    key: readFileSync(tls.key),
    cert: readFileSync(tls.cert),
    ca: tls.ca ? readFileSync(tls.ca) : undefined,
    requestCert: tls.requireClientCert,
    rejectUnauthorized: tls.requireClientCert,
  };
}
