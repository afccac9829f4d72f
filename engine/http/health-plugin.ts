import type { FastifyInstance } from 'fastify';

export interface HealthChecks {
  /** Ready means the hub can take messages: Redis answers. */
  ready(): Promise<boolean>;
}

export async function healthPlugin(app: FastifyInstance, checks: HealthChecks): Promise<void> {
  app.get('/health/live', async () => ({ status: 'live' }));
  app.get('/health/ready', async (_req, reply) => {
    const ready = await checks.ready().catch(() => false);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready' });
  });
}
