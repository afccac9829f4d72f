import { freePort, spawnReady, type ReadyProcess } from '../../scripts/spawn-ready.js';
import { REDIS_URL } from './hub.js';

export { freePort } from '../../scripts/spawn-ready.js';

export interface HubProcess extends ReadyProcess {
  url: string;
}

/**
 * The hub as a real process (`engine/main.ts` through tsx), ready once it logs that it
 * listens (or, for `--role worker`, that its workers run).
 */
export async function spawnHub(configFile: string, env: Record<string, string> = {}, role: 'all' | 'api' | 'worker' = 'all'): Promise<HubProcess> {
  const port = await freePort();
  const hub = await spawnReady({
    script: 'engine/main.ts',
    args: ['--config', configFile, '--role', role],
    env: { REDIS_URL, PORT: String(port), ...env },
    ready: role === 'worker' ? 'CP-IS workers running' : 'hub listening',
  });
  return { ...hub, url: role === 'worker' ? '' : `http://127.0.0.1:${port}` };
}
