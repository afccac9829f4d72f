import type { Logger } from '../../engine/log.js';
import type { Resolved } from '../config/load.js';
import type { LaConfig } from '../config/schema.js';
import type { Sink } from '../core/delivery.js';
import { mailboxPoller } from '../delivery/mailbox-poller.js';
import { openMailbox } from '../runtime/mesh-connection.js';
import { startParts, type Part, type RunningAdapter } from '../runtime/parts.js';
import { sinkFrom } from '../runtime/sink.js';
import { amqpSourceFrom, folderSourceFrom, xmlPrepare } from '../runtime/sources.js';
import { planAckSink } from './plan-ack-sink.js';

/**
 * The LA adapter: access notifications (and anything else for the LA) go to the LA
 * system through the sink; plan update files go to the hub, and the acknowledgement
 * of each is written next to the file it answers.
 */
export async function startLaAdapter(cfg: Resolved<LaConfig>, log: Logger): Promise<RunningAdapter> {
  const { client, ctx } = await openMailbox(cfg, log);
  const sink = await sinkFrom(cfg.sink, log);
  const uploads = cfg.planUploads ?? {};
  const acks: Sink = uploads.folder ? planAckSink({ folder: uploads.folder.path, otherwise: sink }) : sink;
  const parts: Part[] = [
    ...(uploads.folder ? [folderSourceFrom(uploads.folder, xmlPrepare('planUpdate'), ['.xml'], ctx)] : []),
    ...(uploads.amqp ? [amqpSourceFrom(uploads.amqp, xmlPrepare('planUpdate'), ctx)] : []),
    mailboxPoller({ client, intervalMs: cfg.poll, route: () => acks, retry: cfg.retry, log }),
  ];
  return startParts(parts, [() => acks.close()], log);
}
