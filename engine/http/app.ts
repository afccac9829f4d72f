import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import type { MeshSettings } from '../config/schema.js';
import { consoleApiPlugin, type ConsoleApiOptions } from '../console/console-api-plugin.js';
import { consoleUiPlugin } from '../console/ui/ui-plugin.js';
import type { MeshContext } from '../mesh/handlers/context.js';
import { metricsPlugin, type MetricsDeps } from '../metrics/metrics-plugin.js';
import { meshPlugin, sendError } from '../mesh/http/mesh-plugin.js';
import { healthPlugin, type HealthChecks } from './health-plugin.js';

/** The hub's HTTP surface: the MESH API, health and metrics, each a plugin given its dependencies. */
export async function buildHttpApp(
  mesh: MeshContext, health: HealthChecks, tls?: MeshSettings['tls'], extras: { metrics?: MetricsDeps; console?: ConsoleApiOptions } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: mesh.maxRequestBytes,
    requestIdHeader: false,
    genReqId: () => `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    // A bad URL encoding or an over-long path is refused before routing: still answer as MESH does.
    frameworkErrors: (err, req, reply) => sendError(mesh, err, req, reply),
    ...(tls ? { https: httpsOptions(tls) } : {}),
  });
  await app.register(healthPlugin, health);
  await app.register(meshPlugin, mesh);
  if (extras.console) await app.register(consoleApiPlugin, { prefix: '/console/api', ...extras.console });
  if (extras.console) await app.register(consoleUiPlugin);
  if (extras.metrics) await app.register(metricsPlugin, extras.metrics);
  return app;
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
