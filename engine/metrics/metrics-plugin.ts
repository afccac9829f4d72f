import type { FastifyInstance } from 'fastify';
import { DepthGauges, type DepthSources } from './depth-gauges.js';
import type { HubMetrics } from './hub-metrics.js';

export interface MetricsDeps extends DepthSources {
  metrics: HubMetrics;
}

/** GET /metrics in Prometheus text format; the depths are read from Redis at each scrape. */
export async function metricsPlugin(app: FastifyInstance, deps: MetricsDeps): Promise<void> {
  const depths = new DepthGauges(deps.metrics.registry, deps);
  app.get('/metrics', async (_req, reply) => {
    await depths.refresh();
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
