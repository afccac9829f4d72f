import type { BackoffSettings } from '../../engine/pipeline/backoff.js';
import type { Logger } from '../../engine/log.js';
import { AdapterFailure, adapterError, type AdapterError } from '../core/errors.js';
import type { Delivery, Sink } from '../core/delivery.js';
import { MeshClientError, type MeshClient, type MeshMessageHeaders } from '../mesh-client/index.js';
import { DeliveryLedger } from './delivery-ledger.js';

export interface MailboxPollerOptions {
  client: MeshClient;
  /** Pause between the end of one poll and the start of the next. */
  intervalMs: number;
  /** The sink for a message, by its MESH headers; undefined leaves the message in the inbox. */
  route: (headers: MeshMessageHeaders) => Sink | undefined;
  /** Wait before a failed message is tried again, growing with its failed attempts. */
  retry: BackoffSettings;
  log: Logger;
  /** Inbox page size (MESH `max_results`, 10 to 5000); the hub's default (500) when absent. */
  pageSize?: number;
  /** Told the outcome of every poll, quiet or not (metrics, the heartbeat). */
  onPoll?: (summary: PollSummary) => void;
}

export interface PollSummary {
  /** Messages listed in the inbox. */
  inbox: number;
  delivered: number;
  /** MESH REPORTs among the delivered: the hub did not accept, or its recipient did not collect, a message sent earlier. */
  reports: number;
  failed: number;
  /** Failed earlier and still backing off. */
  waiting: number;
  /** No sink takes their workflow; they stay in the inbox. */
  unrouted: number;
  durationMs: number;
  /** The MESH error code (`NETWORK`, `HTTP_503`...) that cut this poll short. */
  meshError?: string;
}

export interface MailboxPoller {
  readonly kind: 'mailbox-poller';
  /** Polls at once, then every `intervalMs`; resolves after the first poll. */
  start(): Promise<void>;
  /** No further polls; waits for the one in progress, which stops after its current message. */
  stop(): Promise<void>;
  /** One poll now, or the one already in progress: polls never overlap. Never rejects. */
  pollOnce(): Promise<PollSummary>;
}

type Outcome = 'delivered' | 'reported' | 'failed' | 'waiting' | 'unrouted';

/** The MESH error that cut the last poll short, so an outage is logged when it starts and ends, not every poll. */
interface Outage {
  code?: string;
}

/**
 * Drains a MESH inbox into sinks. A message is acknowledged only after its sink has it,
 * so it stays in the inbox through any failure of the sink, the hub or this process; a
 * failing message backs off on its own while the others keep flowing. A poll logs a
 * summary only when a message was delivered or failed: an idle adapter is quiet.
 */
export function mailboxPoller(options: MailboxPollerOptions): MailboxPoller {
  const ledger = new DeliveryLedger(options.retry);
  const outage: Outage = {};
  let current: Promise<PollSummary> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopping = false;

  const pollOnce = () =>
    (current ??= poll(options, ledger, outage, () => stopping).finally(() => {
      current = undefined;
    }));

  const loop = async () => {
    await pollOnce();
    if (running) timer = setTimeout(loop, options.intervalMs);
  };

  return {
    kind: 'mailbox-poller',
    pollOnce,
    async start() {
      if (running) return;
      running = true;
      await loop();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      stopping = true;
      try {
        await current;
      } finally {
        stopping = false;
      }
    },
  };
}

async function poll(options: MailboxPollerOptions, ledger: DeliveryLedger, outage: Outage, stopping: () => boolean): Promise<PollSummary> {
  const started = Date.now();
  const tally: Record<Outcome, number> & { inbox: number } = { inbox: 0, delivered: 0, reported: 0, failed: 0, waiting: 0, unrouted: 0 };
  let meshError: string | undefined;
  try {
    // The whole list first: acknowledging while paging would shift the pages under us.
    const ids = await listInbox(options);
    tally.inbox = ids.length;
    ledger.keepOnly(ids);
    if (outage.code) options.log.info('the hub answers polls again', { after: outage.code });
    outage.code = undefined;
    for (const id of ids) {
      if (stopping()) break;
      tally[await handle(id, options, ledger)]++;
    }
  } catch (err) {
    meshError = err instanceof MeshClientError ? err.code : 'UNEXPECTED';
    const { status, meshCode } = err instanceof MeshClientError ? err : { status: undefined, meshCode: undefined };
    if (outage.code !== meshError) options.log.warn('poll cut short; the next poll tries again', { code: meshError, status, meshCode, error: (err as Error).message });
    outage.code = meshError;
  }
  const { reported, ...counts } = tally;
  const summary: PollSummary = { ...counts, delivered: tally.delivered + reported, reports: reported, durationMs: Date.now() - started, ...(meshError && { meshError }) };
  if (summary.delivered > 0 || summary.failed > 0) options.log.info('poll', summary);
  options.onPoll?.(summary);
  return summary;
}

async function listInbox(options: MailboxPollerOptions): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of options.client.inboxIds({ maxResults: options.pageSize })) ids.push(id);
  return ids;
}

/** Delivers one message; MESH errors propagate and end the poll, since the hub is likely down for the rest. */
async function handle(id: string, options: MailboxPollerOptions, ledger: DeliveryLedger): Promise<Outcome> {
  const standing = ledger.standing(id, Date.now());
  if (standing !== 'due') return standing;
  const message = await options.client.download(id).catch((err: unknown) => {
    // A message that cannot be downloaded must not hold up the ones behind it on every poll.
    ledger.failed(id, Date.now());
    throw err;
  });
  const fields = logFields(message);
  let sink: Sink | undefined;
  try {
    sink = options.route(message.headers);
    if (!sink) {
      ledger.unrouted(id);
      options.log.warn('no sink takes this workflow; the message stays in the inbox', { ...fields, outcome: 'unrouted' });
      return 'unrouted';
    }
    await sink.deliver(message);
  } catch (err) {
    const error = asAdapterError(err);
    const { attempts, delayMs } = ledger.failed(id, Date.now());
    options.log.warn('delivery failed; will retry', {
      ...fields, sink: sink?.kind, outcome: 'failed', code: error.code, error: error.message, attempts, retryInMs: delayMs,
    });
    return 'failed';
  }
  await acknowledge(message, options, sink.kind);
  ledger.delivered(id);
  options.log.info('delivered', { ...fields, sink: sink.kind, outcome: 'delivered' });
  return message.headers.messageType === 'REPORT' ? 'reported' : 'delivered';
}

async function acknowledge(message: Delivery, options: MailboxPollerOptions, sinkKind: string): Promise<void> {
  try {
    await options.client.acknowledge(message.id);
  } catch (err) {
    // The sink has it and the inbox still does: it is delivered again later, and the far side drops the repeat.
    options.log.warn('delivered but not acknowledged', { ...logFields(message), sink: sinkKind, outcome: 'unacknowledged' });
    throw err;
  }
}

/** Ids only: never the body. */
function logFields(message: Delivery) {
  const { workflowId, messageType, localId, from } = message.headers;
  return { messageId: message.id, workflowId, messageType, localId, from };
}

function asAdapterError(err: unknown): AdapterError {
  if (err instanceof AdapterFailure) return err.error;
  return adapterError('SINK_FAILED', err instanceof Error ? err.message : String(err));
}
