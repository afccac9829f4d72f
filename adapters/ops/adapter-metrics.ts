import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PollSummary } from '../delivery/mailbox-poller.js';

export type AdapterKind = 'pas' | 'la';

/** Counts since the process started, for the heartbeat to take differences of. */
export interface ActivityTotals {
  sent: number;
  delivered: number;
  rejected: number;
  retries: number;
  polls: number;
  failedPolls: number;
}

/** What the gauges read at each scrape. */
export interface ScrapeReads {
  /** Seconds since the oldest file waiting in an outgoing folder was written; 0 when none waits. */
  oldestWaitingSeconds(): Promise<number>;
  ready(): Promise<boolean>;
}

/**
 * What an adapter counts as it works, told by its sender, its sources' checks and its
 * mailbox poller. The names are fixed: the alert rules and the dashboard in ops/ use them.
 */
export class AdapterMetrics {
  readonly registry = new Registry();
  readonly totals: ActivityTotals = { sent: 0, delivered: 0, rejected: 0, retries: 0, polls: 0, failedPolls: 0 };
  /** Epoch ms of the last MESH call the hub answered (handshake, send, inbox listing). */
  lastHubAnswer?: number;
  private readonly labels: { adapter: AdapterKind };
  private readonly sentTotal = this.counter('cpisx_adapter_sent_total', 'Documents sent to the hub and accepted by it');
  private readonly deliveredTotal = this.counter('cpisx_adapter_delivered_total', 'Messages delivered to the sink and acknowledged in MESH');
  private readonly rejectedTotal = this.counter('cpisx_adapter_rejected_total', 'Documents refused: by the adapter\'s own check, by the hub at send, or by a MESH REPORT');
  private readonly retriesTotal = this.counter('cpisx_adapter_retries_total', 'Sends and deliveries that failed for a passing reason and will be tried again');
  private readonly lastPoll = this.gauge(
    'cpisx_adapter_last_successful_poll_timestamp_seconds', 'Unix time of the last mailbox poll the hub answered (the process start before the first)',
  );

  constructor(adapter: AdapterKind, startedAt = Date.now()) {
    this.labels = { adapter };
    collectDefaultMetrics({ register: this.registry, prefix: 'cpisx_adapter_' });
    // Present from the start at zero, so rate() and absent() work before the first event.
    for (const counter of [this.sentTotal, this.deliveredTotal, this.rejectedTotal, this.retriesTotal]) counter.inc(this.labels, 0);
    // An adapter that never reaches the hub has not polled since it started, not since 1970:
    // CpisAdapterNotPolling then says for how long, and fires as long after start as after a last poll.
    this.lastPoll.set(this.labels, Math.floor(startedAt / 1000));
  }

  /** The gauges computed at each scrape: the oldest waiting file and readiness. */
  watch(reads: ScrapeReads): void {
    const { labels } = this;
    this.gauge('cpisx_adapter_oldest_waiting_file_age_seconds', 'Age of the oldest file waiting in an outgoing folder (0 when none)', async function collect() {
      this.set(labels, await reads.oldestWaitingSeconds());
    });
    this.gauge('cpisx_adapter_ready', 'Whether the adapter is ready (1) or not (0), as /health/ready answers', async function collect() {
      this.set(labels, (await reads.ready()) ? 1 : 0);
    });
  }

  sent(): void {
    this.count(this.sentTotal, 'sent');
  }

  rejected(): void {
    this.count(this.rejectedTotal, 'rejected');
  }

  retried(): void {
    this.count(this.retriesTotal, 'retries');
  }

  hubAnswered(at = Date.now()): void {
    this.lastHubAnswer = at;
  }

  polled(summary: PollSummary, at = Date.now()): void {
    this.totals.polls++;
    if (summary.meshError) {
      this.totals.failedPolls++;
    } else {
      this.hubAnswered(at);
      this.lastPoll.set(this.labels, Math.floor(at / 1000));
    }
    this.count(this.deliveredTotal, 'delivered', summary.delivered);
    this.count(this.rejectedTotal, 'rejected', summary.reports);
    this.count(this.retriesTotal, 'retries', summary.failed);
  }

  private count(counter: Counter, total: keyof ActivityTotals, by = 1): void {
    counter.inc(this.labels, by);
    this.totals[total] += by;
  }

  private counter(name: string, help: string): Counter {
    return new Counter({ name, help, labelNames: ['adapter'], registers: [this.registry] });
  }

  private gauge(name: string, help: string, collect?: (this: Gauge) => Promise<void>): Gauge {
    return new Gauge({ name, help, labelNames: ['adapter'], registers: [this.registry], ...(collect && { collect }) });
  }
}
