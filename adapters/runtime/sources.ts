import type { Logger } from '../../engine/log.js';
import type { BackoffSettings } from '../../engine/pipeline/backoff.js';
import type { Resolved } from '../config/load.js';
import type { AmqpSourceConfig, FolderSourceConfig } from '../config/schema.js';
import type { BrokerLink } from '../core/broker.js';
import type { Source } from '../core/delivery.js';
import { checkDocument, type OutgoingKind } from '../core/document.js';
import type { Prepare, Sender } from '../core/sender.js';
import type { AdapterMetrics } from '../ops/adapter-metrics.js';
import { countedPrepare } from '../ops/counted.js';
import { amqpSource } from '../sources/amqp-source.js';
import { folderSource } from '../sources/folder-source.js';

export interface SourceContext {
  send: Sender;
  retry: BackoffSettings;
  log: Logger;
  /** Counts what each source's check refuses. */
  metrics: AdapterMetrics;
}

/** Checks an XML document of the kind this source carries against its XSD before it leaves. */
export function xmlPrepare(kind: OutgoingKind): Prepare {
  return (body) => {
    const error = checkDocument(kind, body);
    return error ? { ok: false, error } : { ok: true, body };
  };
}

export function folderSourceFrom(cfg: FolderSourceConfig, prepare: Prepare, extensions: string[], ctx: SourceContext): Source {
  const { metrics, ...rest } = ctx;
  return folderSource({ folder: cfg.path, extensions, settleMs: cfg.settle, pollMs: cfg.poll, prepare: countedPrepare(prepare, metrics), onUnreadable: () => metrics.rejected(), ...rest });
}

export function amqpSourceFrom(cfg: Resolved<AmqpSourceConfig>, prepare: Prepare, ctx: SourceContext): Source & BrokerLink {
  const { metrics, ...rest } = ctx;
  return amqpSource({ ...cfg, prepare: countedPrepare(prepare, metrics), ...rest });
}
