import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** GET /metrics in Prometheus text format; the gauges read their values at each scrape. */
export async function adapterMetricsPlugin(app: FastifyInstance, deps: { registry: Registry }): Promise<void> {
  app.get('/metrics', async (_req, reply) => reply.type(deps.registry.contentType).send(await deps.registry.metrics()));
}
