import type { Logger } from '../../engine/log.js';
import type { Resolved } from '../config/load.js';
import type { Hl7SourceConfig, PasConfig } from '../config/schema.js';
import { isBrokerLink } from '../core/broker.js';
import { mailboxPoller } from '../delivery/mailbox-poller.js';
import { sentFileSink } from '../delivery/sent-file-sink.js';
import { mllpSource } from '../hl7/mllp-source.js';
import { prepareHl7 } from '../hl7/prepare-hl7.js';
import { AdapterMetrics } from '../ops/adapter-metrics.js';
import { watching } from '../ops/watching.js';
import { openMailbox } from '../runtime/mesh-connection.js';
import { startParts, type Part, type RunningAdapter } from '../runtime/parts.js';
import { sinkFrom } from '../runtime/sink.js';
import { amqpSourceFrom, folderSourceFrom, xmlPrepare, type SourceContext } from '../runtime/sources.js';

/**
 * The PAS adapter at a trust: attendances from the PAS (folder, AMQP, HL7 v2) go to the
 * hub; flag responses (and the hub's reports) come back to the PAS through the sink. A
 * dropped file the hub reports on moves from sent/ to rejected/.
 */
export async function startPasAdapter(cfg: Resolved<PasConfig>, log: Logger): Promise<RunningAdapter> {
  const metrics = new AdapterMetrics('pas');
  const { client, ctx } = await openMailbox(cfg, log, metrics);
  const { folder, amqp, hl7 } = cfg.sources;
  const outgoing = [
    ...(folder ? [{ path: folder.path, extensions: ['.xml'] }] : []),
    ...(hl7?.folder ? [{ path: hl7.folder.path, extensions: ['.hl7'] }] : []),
  ];
  const otherwise = await sinkFrom(cfg.responses.sink, log);
  const sink = sentFileSink({ folders: outgoing.map((f) => f.path), otherwise, log });
  const sources: Part[] = [
    ...(folder ? [folderSourceFrom(folder, xmlPrepare('attendance'), ['.xml'], ctx)] : []),
    ...(amqp ? [amqpSourceFrom(amqp, xmlPrepare('attendance'), ctx)] : []),
    ...(hl7 ? hl7Sources(hl7, ctx) : []),
  ];
  const parts: Part[] = [
    ...watching({
      ops: cfg.ops, metrics, pollMs: cfg.responses.poll, meshTimeoutMs: cfg.mesh.timeout, outgoing,
      sink: cfg.responses.sink, brokers: [otherwise, ...sources].filter(isBrokerLink), log,
    }),
    ...sources,
    mailboxPoller({ client, intervalMs: cfg.responses.poll, route: () => sink, retry: cfg.retry, log, onPoll: (s) => metrics.polled(s) }),
  ];
  return startParts(parts, [() => sink.close()], log);
}

function hl7Sources(cfg: Hl7SourceConfig, ctx: SourceContext): Part[] {
  const translate = { departmentType: cfg.departmentType, careSettingName: cfg.careSettingName };
  return [
    ...(cfg.mllp ? [mllpSource({ port: cfg.mllp.port, host: cfg.mllp.host, translate, send: ctx.send, log: ctx.log })] : []),
    ...(cfg.folder ? [folderSourceFrom(cfg.folder, prepareHl7(translate), ['.hl7'], ctx)] : []),
  ];
}
