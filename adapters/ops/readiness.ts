import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrokerLink } from '../core/broker.js';
import type { AdapterMetrics } from './adapter-metrics.js';

/** One thing readiness depends on, and why it fails. */
export interface Check {
  check: 'hub' | 'folder' | 'broker';
  /** The folder or broker (host:port) checked. */
  target?: string;
  ok: boolean;
  reason?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Check[];
}

export interface ReadinessSources {
  metrics: AdapterMetrics;
  /** How long without an answer from the hub before it counts as unreachable. */
  hubWithinMs: number;
  /** Every folder the adapter writes into: drop folders (files move out of them), their sent/ and rejected/, folder sinks. */
  folders: string[];
  brokers: BrokerLink[];
}

/**
 * Ready means the adapter can do its work now: the hub answered a MESH call lately, each
 * of its folders takes a write, and each of its broker connections is up.
 */
export async function readiness(sources: ReadinessSources, now = Date.now()): Promise<Readiness> {
  const checks = [
    hubCheck(sources.metrics.lastHubAnswer, sources.hubWithinMs, now),
    ...(await Promise.all(sources.folders.map(folderCheck))),
    ...sources.brokers.map(brokerCheck),
  ];
  return { ready: checks.every((c) => c.ok), checks };
}

function hubCheck(lastAnswer: number | undefined, withinMs: number, now: number): Check {
  if (lastAnswer === undefined) return { check: 'hub', ok: false, reason: 'the hub has not answered since the adapter started' };
  const seconds = Math.round((now - lastAnswer) / 1000);
  return now - lastAnswer <= withinMs
    ? { check: 'hub', ok: true }
    : { check: 'hub', ok: false, reason: `no answer from the hub for ${seconds} s (allowed ${Math.round(withinMs / 1000)} s)` };
}

/**
 * A real write and delete of a dot file (which no source takes), rather than access(W_OK):
 * it also fails for a read-only mount, a full disk, a path that is now a file, and it means
 * the same when the adapter runs as root.
 */
async function folderCheck(folder: string): Promise<Check> {
  const probe = join(folder, `.cpisx-ready-${process.pid}`);
  try {
    await writeFile(probe, 'probe\n');
    await rm(probe);
    return { check: 'folder', target: folder, ok: true };
  } catch (err) {
    return { check: 'folder', target: folder, ok: false, reason: `cannot write into it (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
}

function brokerCheck(link: BrokerLink): Check {
  return link.connected()
    ? { check: 'broker', target: link.broker, ok: true }
    : { check: 'broker', target: link.broker, ok: false, reason: `no connection to RabbitMQ (${link.role})` };
}
