import { mkdirSync } from 'node:fs';
import type { Logger } from '../../engine/log.js';
import type { Resolved } from '../config/load.js';
import type { SinkConfig } from '../config/schema.js';
import type { Sink } from '../core/delivery.js';
import { amqpSink } from '../delivery/amqp-sink.js';
import { folderSink } from '../delivery/folder-sink.js';
import { webhookSink } from '../delivery/webhook-sink.js';

/**
 * The sink a configuration names. A sink folder is created at start (a fresh install
 * works at once); one that goes missing later fails deliveries until it is back.
 */
export function sinkFrom(cfg: Resolved<SinkConfig>, log: Logger): Sink {
  if ('folder' in cfg) {
    mkdirSync(cfg.folder.path, { recursive: true });
    return folderSink({ folder: cfg.folder.path });
  }
  if ('amqp' in cfg) return amqpSink({ url: cfg.amqp.url, exchange: cfg.amqp.exchange, routingKey: cfg.amqp.routingKey, log });
  return webhookSink({ url: cfg.webhook.url, timeoutMs: cfg.webhook.timeout, headers: cfg.webhook.headers });
}
