import { describeBroker, type BrokerLink } from '../core/broker.js';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Logger } from '../../engine/log.js';
import { backoffDelay, type BackoffSettings } from '../../engine/pipeline/backoff.js';
import type { Source } from '../core/delivery.js';
import type { Prepare, Sender } from '../core/sender.js';
import { publishDeadLetter, type DeadLetter } from './amqp-dead-letter.js';
import { checkTopology, declareTopology, defaultDeadLetterExchange, type Topology } from './amqp-topology.js';
import { contentLocalId, messageLocalId } from './local-id.js';
import { submit } from './submit.js';

export { DEAD_LETTER_HEADERS } from './amqp-dead-letter.js';

export interface AmqpSourceOptions {
  /** amqp://user:password@host:port/vhost; logs show host and port only. */
  url: string;
  queue: string;
  /** Messages held at once; each is sent, retried or dead-lettered on its own. */
  prefetch: number;
  /** Tries at sending one message while the hub is unavailable, before it is dead-lettered. */
  maxAttempts: number;
  /** Default `<queue>.dead`: a fanout exchange with a durable queue of that name. */
  deadLetterExchange?: string;
  /**
   * Declare the queue (quorum, with `deliveryLimit`) and the dead-letter exchange and queue
   * on every connect. Default true; when false they must exist, or connecting fails (logged,
   * retried).
   */
  declare?: boolean;
  /** The broker's safety net against endless redelivery (amqp-topology.ts). Default 20. */
  deliveryLimit?: number;
  prepare: Prepare;
  send: Sender;
  /** Backoff between tries of one message, and between reconnection attempts. */
  retry: BackoffSettings;
  log: Logger;
}

/** amqplib's close can hang when the socket dies at that moment; stopping must not. */
const CLOSE_WAIT_MS = 5_000;

/**
 * Consumes a durable queue with manual acks and sends each message to the hub. A message
 * is acked only after the hub's 202, or after its dead letter is confirmed by RabbitMQ;
 * anything else leaves it unacked, and RabbitMQ gives it back when the channel closes.
 *
 * `start()` resolves at once: the connection is made, and remade after a broker restart,
 * in the background by amqplib's recovery, whose set-up re-creates the channels and the
 * consumer. While RabbitMQ is unreachable one line is logged (again only if the error
 * changes). Messages in hand when the connection drops are redelivered by RabbitMQ; they
 * keep their local id, so the hub answers a resend with the first message id.
 */
export function amqpSource(options: AmqpSourceOptions): Source & BrokerLink {
  return new AmqpSource(options);
}

/** The channels of one connection; once either closes, its messages can no longer be acked. */
interface Session {
  model: ChannelModel;
  channel: Channel;
  confirm: ConfirmChannel;
  closed: boolean;
  consumerTag?: string;
}

interface Wait {
  session: Session;
  wake(): void;
}

class AmqpSource implements Source, BrokerLink {
  readonly kind = 'amqp';
  readonly role = 'source';
  readonly broker: string;
  private readonly topology: Topology;
  private connection?: { close(): Promise<void> };
  private session?: Session;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waits = new Set<Wait>();
  private stopping = false;
  private lastConnectError?: string;

  constructor(private readonly options: AmqpSourceOptions) {
    this.topology = {
      queue: options.queue,
      deadLetterExchange: options.deadLetterExchange ?? defaultDeadLetterExchange(options.queue),
      deliveryLimit: options.deliveryLimit ?? 20,
    };
    this.broker = describeBroker(options.url);
  }

  async start(): Promise<void> {
    const { retry, log, queue } = this.options;
    const connection = await amqp.connect(this.options.url, {
      recovery: { waitForConnect: false, initialDelay: retry.baseDelay, maxDelay: retry.maxDelay, maxRetries: Infinity, setup: (model: ChannelModel) => this.open(model) },
    });
    this.connection = connection;
    const where = { broker: this.broker, queue };
    connection.on('connect', () => {
      this.lastConnectError = undefined;
      log.info('AMQP source consuming', where);
    });
    connection.on('connect-failed', (err: Error) => {
      if (err.message !== this.lastConnectError) log.error('AMQP source cannot connect; retrying in the background', { ...where, error: err.message });
      this.lastConnectError = err.message;
    });
    connection.on('disconnect', (err: Error) => log.warn('AMQP source lost its broker; reconnecting', { ...where, error: err.message }));
    connection.on('error', (err: Error) => log.warn('AMQP connection error', { ...where, error: err.message }));
  }

  /** Consuming on an open channel: the connection and the set-up after it both succeeded. */
  connected(): boolean {
    return this.session !== undefined && !this.session.closed;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const session = this.session;
    if (session && !session.closed && session.consumerTag) await bounded(session.channel.cancel(session.consumerTag));
    for (const wait of [...this.waits]) wait.wake();
    await Promise.all([...this.inFlight]);
    await bounded(this.connection?.close());
  }

  /** The recovery set-up, run on every (re)connect; a failure here is a failed connection attempt. */
  private async open(model: ChannelModel): Promise<void> {
    const { log, queue, prefetch } = this.options;
    const session: Session = { model, channel: await model.createChannel(), confirm: await model.createConfirmChannel(), closed: false };
    for (const channel of [session.channel, session.confirm]) {
      channel.on('error', (err: Error) => log.warn('AMQP channel closed by the broker', { queue, error: err.message }));
      channel.on('close', () => this.lost(session));
    }
    const topology = this.options.declare === false ? checkTopology : declareTopology;
    await topology(session.channel, this.topology);
    await session.channel.prefetch(prefetch);
    const { consumerTag } = await session.channel.consume(queue, (msg) => this.receive(session, msg), { noAck: false });
    session.consumerTag = consumerTag;
    this.session = session;
  }

  /**
   * A channel closed. With the connection, recovery follows by itself; a channel the broker
   * closed alone (or a cancelled consumer) would leave the source idle, so the connection is
   * closed too and recovery starts afresh.
   */
  private lost(session: Session): void {
    if (session.closed) return;
    session.closed = true;
    for (const wait of [...this.waits]) if (wait.session === session) wait.wake();
    if (!this.stopping) session.model.close().catch(() => undefined);
  }

  private receive(session: Session, msg: ConsumeMessage | null): void {
    if (!msg) return this.lost(session); // the broker cancelled the consumer (queue deleted)
    if (this.stopping) return; // unacked: RabbitMQ gives it back when the connection closes
    const task = this.handle(session, msg);
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async handle(session: Session, msg: ConsumeMessage): Promise<void> {
    const { log, queue, retry } = this.options;
    try {
      await this.sendOrDeadLetter(session, msg);
    } catch (err) {
      // A fault of our own, not of the message or the hub: give it back after a pause.
      // Should it recur, the queue's delivery-limit dead-letters the message in the end.
      log.error('AMQP message not handled; returning it to the queue', { queue, error: (err as Error).message });
      if (await this.pause(backoffDelay(1, retry), session)) this.settle(session, () => session.channel.nack(msg, false, true));
    }
  }

  private async sendOrDeadLetter(session: Session, msg: ConsumeMessage): Promise<void> {
    const { log, queue, retry, maxAttempts } = this.options;
    const derived = msg.properties.messageId ? messageLocalId(String(msg.properties.messageId)) : contentLocalId(msg.content);
    for (let attempt = 1; ; attempt++) {
      const result = await submit(this.options, msg.content, derived, derived);
      if (result.ok && 'skipped' in result) {
        const acked = this.settle(session, () => session.channel.ack(msg));
        log.info('AMQP message skipped', { queue, localId: result.localId, reason: result.skipped, acked });
        return;
      }
      if (result.ok) {
        const acked = this.settle(session, () => session.channel.ack(msg));
        log.info('AMQP message sent', { queue, localId: result.localId, messageId: result.messageId, acked });
        return;
      }
      const { error, localId } = result;
      if (error.permanent || attempt >= maxAttempts) return this.deadLetter(session, msg, { error, attempts: attempt, localId, queue });
      const delay = backoffDelay(attempt, retry);
      log.warn('AMQP message not sent; will retry', { queue, localId, code: error.code, attempts: attempt, retryInMs: delay });
      if (!(await this.pause(delay, session))) return; // stopping, or the channel is gone: RabbitMQ redelivers it
    }
  }

  private async deadLetter(session: Session, msg: ConsumeMessage, letter: DeadLetter): Promise<void> {
    const { log, queue, retry } = this.options;
    const exchange = this.topology.deadLetterExchange;
    for (let tries = 1; ; tries++) {
      try {
        await publishDeadLetter(session.confirm, exchange, msg, letter);
        break;
      } catch (err) {
        log.error('dead-lettering failed; will retry', { queue, localId: letter.localId, error: (err as Error).message });
        if (!(await this.pause(backoffDelay(tries, retry), session))) return;
      }
    }
    const acked = this.settle(session, () => session.channel.ack(msg));
    log.warn('AMQP message dead-lettered', { queue, exchange, localId: letter.localId, code: letter.error.code, attempts: letter.attempts, acked });
  }

  /**
   * Acks or nacks; false when the channel closed first: RabbitMQ will deliver the message
   * again, and a resend to the hub returns the same message id (or a second dead letter is
   * written).
   */
  private settle(session: Session, answer: () => void): boolean {
    if (session.closed) return false;
    try {
      answer();
      return true;
    } catch {
      return false;
    }
  }

  /** Waits `ms`; resolves false at once if the source stops or the session's channels close. */
  private pause(ms: number, session: Session): Promise<boolean> {
    if (this.stopping || session.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wait: Wait = {
        session,
        wake: () => {
          clearTimeout(timer);
          this.waits.delete(wait);
          resolve(false);
        },
      };
      const timer = setTimeout(() => {
        this.waits.delete(wait);
        resolve(!this.stopping && !session.closed);
      }, ms);
      this.waits.add(wait);
    });
  }
}

async function bounded(promise: Promise<unknown> | undefined): Promise<void> {
  await Promise.race([promise?.catch(() => undefined), sleep(CLOSE_WAIT_MS, undefined, { ref: false })]);
}
