import Fastify from 'fastify';
import type { Logger } from '../../engine/log.js';
import type { Part } from '../runtime/parts.js';
import type { AdapterMetrics } from './adapter-metrics.js';
import { adapterHealthPlugin } from './health-plugin.js';
import { adapterMetricsPlugin } from './metrics-plugin.js';
import type { Readiness } from './readiness.js';

export interface OpsServerOptions {
  port: number;
  host: string;
  metrics: AdapterMetrics;
  ready(): Promise<Readiness>;
  log: Logger;
}

/** The adapter's /health/live, /health/ready and /metrics, on a port of their own. */
export function opsServer(options: OpsServerOptions): Part {
  const app = Fastify({ logger: false });
  void app.register(adapterHealthPlugin, { ready: options.ready });
  void app.register(adapterMetricsPlugin, { registry: options.metrics.registry });
  return {
    kind: 'ops-server',
    async start() {
      const address = await app.listen({ port: options.port, host: options.host });
      options.log.info('ops server listening', { address, endpoints: ['/health/live', '/health/ready', '/metrics'] });
    },
    async stop() {
      await app.close();
    },
  };
}
