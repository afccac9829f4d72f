import { freePort, spawnReady, type ReadyProcess } from '../../scripts/spawn-ready.js';
import { REDIS_URL, TEST_REDIS } from './hub.js';

export { freePort } from '../../scripts/spawn-ready.js';

export interface HubProcess extends ReadyProcess {
  url: string;
}

/**
 * The hub as a real process (`engine/main.ts` through tsx), ready once it logs that it
 * listens (every role does; a worker after its workers run). An `env` value undefined
 * unsets the variable (REDIS_URL, for a hub whose configuration file names Redis).
 * On the tests' Cluster the hub inherits REDIS_CLUSTER_NODES, and REDIS_URL is left out (two topologies are refused).
 */
export async function spawnHub(configFile: string, env: Record<string, string | undefined> = {}, role: 'all' | 'api' | 'worker' = 'all'): Promise<HubProcess> {
  const port = await freePort();
  const hub = await spawnReady({
    script: 'engine/main.ts',
    args: ['--config', configFile, '--role', role],
    env: { ...(TEST_REDIS.topology.kind === 'single' ? { REDIS_URL } : {}), PORT: String(port), ...env },
    ready: 'hub listening',
  });
  return { ...hub, url: `http://127.0.0.1:${port}` };
}
