import type { Logger } from '../../engine/log.js';
import type { Resolved } from '../config/load.js';
import type { SinkConfig } from '../config/schema.js';
import type { Sink } from '../core/delivery.js';
import { ensureFolder } from '../core/ensure-folder.js';
import { amqpSink } from '../delivery/amqp-sink.js';
import { folderSink } from '../delivery/folder-sink.js';
import { webhookSink } from '../delivery/webhook-sink.js';

/**
 * The sink a configuration names. A sink folder is created at start (a fresh install
 * works at once); one that goes missing later fails deliveries until it is back.
 */
export async function sinkFrom(cfg: Resolved<SinkConfig>, log: Logger): Promise<Sink> {
  if ('folder' in cfg) {
    await ensureFolder(cfg.folder.path, log, 'SINK_FAILED');
    return folderSink({ folder: cfg.folder.path });
  }
  if ('amqp' in cfg) return amqpSink({ url: cfg.amqp.url, exchange: cfg.amqp.exchange, routingKey: cfg.amqp.routingKey, log });
  return webhookSink({ url: cfg.webhook.url, timeoutMs: cfg.webhook.timeout, headers: cfg.webhook.headers });
}
