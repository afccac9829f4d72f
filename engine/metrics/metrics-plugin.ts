import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MailboxStore } from '../mailbox/store.js';
import type { Logger } from '../log.js';
import { DepthGauges, type DepthSources } from './depth-gauges.js';
import type { HubMetrics } from './hub-metrics.js';

export interface MetricsDeps extends DepthSources {
  metrics: HubMetrics;
  log: Logger;
}

/** The MESH route a recipient calls once it has the message: the moment it counts as delivered. */
const ACKNOWLEDGE_ROUTE = '/messageexchange/:mailbox/inbox/:id/status/acknowledged';

/**
 * GET /metrics in Prometheus text format. It also watches acknowledgements across the
 * whole app (so it is not encapsulated) and counts them as deliveries by workflow.
 */
async function metrics(app: FastifyInstance, deps: MetricsDeps): Promise<void> {
  const depths = new DepthGauges(deps.metrics.registry, deps);
  app.addHook('onResponse', async (req, reply) => countDelivery(deps, req, reply));
  app.get('/metrics', async (_req, reply) => {
    await depths.refresh();
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}

async function countDelivery({ store, metrics, log }: { store: MailboxStore; metrics: HubMetrics; log: Logger }, req: FastifyRequest, reply: FastifyReply) {
  if (req.routeOptions.url !== ACKNOWLEDGE_ROUTE || reply.statusCode >= 300) return;
  const { mailbox, id } = req.params as { mailbox: string; id: string };
  try {
    const message = await store.get(mailbox.toUpperCase(), id.toUpperCase());
    if (message) metrics.delivered(message.workflowId);
  } catch (err) {
    log.warn('delivery not counted', { messageId: id, error: (err as Error).message });
  }
}

/** Fastify's documented marker (what fastify-plugin sets): the hook applies to every route, not only this plugin's. */
export const metricsPlugin = Object.assign(metrics, { [Symbol.for('skip-override')]: true });
