import type { Logger } from '../../engine/log.js';
import type { Resolved } from '../config/load.js';
import type { AdapterConfig, MeshConnection } from '../config/schema.js';
import { meshSender } from '../core/sender.js';
import { MeshClient, MeshClientError } from '../mesh-client/index.js';
import type { AdapterMetrics } from '../ops/adapter-metrics.js';
import { countedSender } from '../ops/counted.js';
import type { SourceContext } from './sources.js';

/** Start-up cannot go on: wrong credentials are not fixed by waiting. */
export class StartupError extends Error {
  constructor(readonly code: 'MESH_CREDENTIALS', message: string) {
    super(message);
  }
}

/**
 * The adapters' sources and poller retry on their own schedule (`retry` in the config), so
 * the client gives one quick second try only: a long retry inside a call would hold up
 * SIGTERM and hide an outage from the poll summary.
 */
const CLIENT_RETRY = { attempts: 2, baseDelayMs: 250, maxDelayMs: 1000 };

export function meshClient(cfg: Resolved<MeshConnection>): MeshClient {
  return new MeshClient({
    baseUrl: cfg.url,
    mailboxId: cfg.mailbox,
    password: cfg.password,
    sharedKey: cfg.sharedKey,
    timeoutMs: cfg.timeout,
    retry: CLIENT_RETRY,
  });
}

/**
 * A handshake at start: refused credentials stop the adapter (StartupError); a hub that
 * cannot be reached is one clear error line, and the adapter starts anyway, because its
 * sources and poller retry on their own and files wait where they are. True when the hub answered.
 */
export async function checkMailbox(client: MeshClient, cfg: Resolved<MeshConnection>, log: Logger): Promise<boolean> {
  try {
    await client.handshake();
    log.info('mailbox reachable', { mailbox: cfg.mailbox, hub: cfg.url });
    return true;
  } catch (err) {
    if (!(err instanceof MeshClientError)) throw err;
    if (err.status === 401 || err.status === 403) {
      throw new StartupError('MESH_CREDENTIALS', `the hub at ${cfg.url} refused mailbox ${cfg.mailbox}'s credentials (${err.code}); check mesh.mailbox, mesh.password and mesh.sharedKey`);
    }
    log.error('hub unreachable at start; will keep trying', { mailbox: cfg.mailbox, hub: cfg.url, code: err.code });
    return false;
  }
}

/** The adapter's mailbox, checked, and what its sources need to send to the hub through it, counted. */
export async function openMailbox(cfg: Resolved<AdapterConfig>, log: Logger, metrics: AdapterMetrics): Promise<{ client: MeshClient; ctx: SourceContext }> {
  const client = meshClient(cfg.mesh);
  if (await checkMailbox(client, cfg.mesh, log)) metrics.hubAnswered();
  const send = countedSender(meshSender(client, { to: cfg.hub.mailbox, workflowId: cfg.hub.workflow }), metrics);
  return { client, ctx: { send, retry: cfg.retry, log, metrics } };
}
