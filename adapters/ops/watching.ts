import { join } from 'node:path';
import type { Logger } from '../../engine/log.js';
import type { Resolved } from '../config/load.js';
import type { OpsConfig, SinkConfig } from '../config/schema.js';
import type { BrokerLink } from '../core/broker.js';
import type { Part } from '../runtime/parts.js';
import { REJECTED, SENT, SKIPPED } from '../sources/folder-layout.js';
import type { AdapterMetrics } from './adapter-metrics.js';
import { opsServer } from './ops-server.js';
import { heartbeat } from './heartbeat.js';
import { readiness } from './readiness.js';
import { oldestWaitingSeconds, type OutgoingFolder } from './waiting-files.js';

export interface Watched {
  ops: OpsConfig;
  metrics: AdapterMetrics;
  /** The adapter's pause between mailbox polls and its MESH request timeout: they set how long the hub may be silent. */
  pollMs: number;
  meshTimeoutMs: number;
  /** The drop folders its sources read. */
  outgoing: OutgoingFolder[];
  sink: Resolved<SinkConfig>;
  brokers: BrokerLink[];
  log: Logger;
}

/**
 * The parts that let an adapter be watched: its ops server when a port is configured, and
 * its heartbeat. The hub counts as unreachable once it has not answered for three polls
 * plus a poll's two timed-out tries (a slow hub is not yet a dead one).
 */
export function watching(w: Watched): Part[] {
  const folders = [
    ...w.outgoing.flatMap((f) => [f.path, ...[SENT, REJECTED, SKIPPED].map((sub) => join(f.path, sub))]),
    ...('folder' in w.sink ? [w.sink.folder.path] : []),
  ];
  const ready = () => readiness({ metrics: w.metrics, hubWithinMs: 3 * w.pollMs + 2 * w.meshTimeoutMs, folders, brokers: w.brokers });
  w.metrics.watch({ oldestWaitingSeconds: () => oldestWaitingSeconds(w.outgoing), ready: async () => (await ready()).ready });
  const { port, host, heartbeat: everyMs } = w.ops;
  return [
    ...(port === undefined ? [] : [opsServer({ port, host, metrics: w.metrics, ready, log: w.log })]),
    heartbeat(w.metrics.totals, everyMs, w.log),
  ];
}
