import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../redis/readiness.js';

export interface HealthChecks {
  /** Ready means the hub can take messages: Redis answers as a master with the replicas asked for. */
  ready(): Promise<Readiness>;
}

/** Live: the process answers. Ready: it can take messages; when not, the answer says why, for the person looking at 3 am. */
export async function healthPlugin(app: FastifyInstance, checks: HealthChecks): Promise<void> {
  app.get('/health/live', async () => ({ status: 'live' }));
  app.get('/health/ready', async (_req, reply) => {
    const readiness = await checks.ready().catch((err: Error): Readiness => ({ ready: false, code: 'REDIS_UNREACHABLE', detail: err.message }));
    if (readiness.ready) return reply.code(200).send({ status: 'ready' });
    return reply.code(503).send({ status: 'not ready', code: readiness.code, detail: readiness.detail });
  });
}
