import type { Logger } from '../../engine/log.js';
import type { Resolved } from '../config/load.js';
import type { LaConfig } from '../config/schema.js';
import { isBrokerLink } from '../core/broker.js';
import { mailboxPoller } from '../delivery/mailbox-poller.js';
import { sentFileSink } from '../delivery/sent-file-sink.js';
import { AdapterMetrics } from '../ops/adapter-metrics.js';
import { watching } from '../ops/watching.js';
import { openMailbox } from '../runtime/mesh-connection.js';
import { startParts, type Part, type RunningAdapter } from '../runtime/parts.js';
import { sinkFrom } from '../runtime/sink.js';
import { amqpSourceFrom, folderSourceFrom, xmlPrepare } from '../runtime/sources.js';

/** Beside each plan file in sent/: the hub's acknowledgement of it. */
const ACK_SUFFIX = '.ack.xml';

/**
 * The LA adapter: access notifications (and anything else for the LA) go to the LA
 * system through the sink; plan update files go to the hub, and the acknowledgement
 * of each is written next to the file it answers. A file the hub reports on moves to
 * rejected/, and the report goes to the sink.
 */
export async function startLaAdapter(cfg: Resolved<LaConfig>, log: Logger): Promise<RunningAdapter> {
  const metrics = new AdapterMetrics('la');
  const { client, ctx } = await openMailbox(cfg, log, metrics);
  const sink = await sinkFrom(cfg.sink, log);
  const uploads = cfg.planUploads ?? {};
  const outgoing = uploads.folder ? [{ path: uploads.folder.path, extensions: ['.xml'] }] : [];
  const inbound = sentFileSink({ folders: outgoing.map((f) => f.path), otherwise: sink, answerSuffix: ACK_SUFFIX, log });
  const sources: Part[] = [
    ...(uploads.folder ? [folderSourceFrom(uploads.folder, xmlPrepare('planUpdate'), ['.xml'], ctx)] : []),
    ...(uploads.amqp ? [amqpSourceFrom(uploads.amqp, xmlPrepare('planUpdate'), ctx)] : []),
  ];
  const parts: Part[] = [
    ...watching({
      ops: cfg.ops, metrics, pollMs: cfg.poll, meshTimeoutMs: cfg.mesh.timeout, outgoing,
      sink: cfg.sink, brokers: [sink, ...sources].filter(isBrokerLink), log,
    }),
    ...sources,
    mailboxPoller({ client, intervalMs: cfg.poll, route: () => inbound, retry: cfg.retry, log, onPoll: (s) => metrics.polled(s) }),
  ];
  return startParts(parts, [() => inbound.close()], log);
}
