import type { FastifyInstance } from 'fastify';
import type { Readiness } from './readiness.js';

export interface AdapterHealth {
  ready(): Promise<Readiness>;
}

/** The hub's health routes, with each readiness check named in the answer so an operator sees what failed. */
export async function adapterHealthPlugin(app: FastifyInstance, health: AdapterHealth): Promise<void> {
  app.get('/health/live', async () => ({ status: 'live' }));
  app.get('/health/ready', async (_req, reply) => {
    const { ready, checks } = await health.ready();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
}
