import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds from a message's arrival to the end of its processing: attendances in well under a second, plan files up to minutes. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
/** A clinician waits on a query: its target is 50 ms at p99, so the buckets are fine around it. */
const QUERY_BUCKETS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * What the hub counts as it works, by workflow: told by the MESH API (accepted,
 * delivered), the workers (processed, held as failed), the expiry sweeper (expired)
 * and the failed-message operations (replayed). Counts are per process, as Prometheus expects.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly acceptedTotal = this.counter('cpisx_messages_accepted_total', 'Messages accepted whole into an inbox', ['workflow']);
  private readonly deliveredTotal = this.counter('cpisx_messages_delivered_total', 'Messages their recipient downloaded and acknowledged', ['workflow']);
  private readonly failedTotal = this.counter('cpisx_messages_failed_total', 'Messages the workers gave up on and hold for staff', ['workflow', 'reason']);
  private readonly replayedTotal = this.counter('cpisx_messages_replayed_total', 'Failed messages staff put back on their queue', ['workflow']);
  private readonly expiredTotal = this.counter('cpisx_messages_expired_total', 'Messages expired uncollected by their recipient (MESH REPORT 14 to the sender)', ['workflow']);
  private readonly latency = new Histogram({
    name: 'cpisx_processing_seconds',
    help: 'Time from a message entering the hub inbox to the end of its processing',
    labelNames: ['workflow'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly queriesTotal = this.counter('cpisx_queries_total', 'Point-of-care queries, by API and outcome (ok or the refusal code)', ['api', 'outcome']);
  private readonly queryLatency = new Histogram({
    name: 'cpisx_query_seconds',
    help: 'Time to answer a point-of-care query, from its request to its answer',
    labelNames: ['api'],
    buckets: QUERY_BUCKETS,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'cpisx_' });
  }

  private counter(name: string, help: string, labelNames: string[]): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  accepted(message: { workflowId: string }): void {
    this.acceptedTotal.inc({ workflow: message.workflowId });
  }

  delivered(workflowId: string): void {
    this.deliveredTotal.inc({ workflow: workflowId });
  }

  /** `receivedAt` in epoch milliseconds (the stored message's createdAt). */
  processed(message: { workflowId: string; createdAt: number }, now = Date.now()): void {
    this.latency.observe({ workflow: message.workflowId }, Math.max(0, now - message.createdAt) / 1000);
  }

  held(message: { workflowId: string }, reason: string): void {
    this.failedTotal.inc({ workflow: message.workflowId, reason });
  }

  queried(api: string, outcome: string, seconds: number): void {
    this.queriesTotal.inc({ api, outcome });
    this.queryLatency.observe({ api }, seconds);
  }

  /** Expiries start at 0 for every workflow: a series born at 1 would show Prometheus no increase. */
  expectWorkflows(workflowIds: string[]): void {
    for (const workflow of workflowIds) this.expiredTotal.inc({ workflow }, 0);
  }

  expired(workflowId: string): void {
    this.expiredTotal.inc({ workflow: workflowId });
  }

  replayed(workflowId: string | undefined): void {
    this.replayedTotal.inc({ workflow: workflowId ?? 'unknown' });
  }
}
