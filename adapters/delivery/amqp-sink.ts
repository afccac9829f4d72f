import { describeBroker, type BrokerLink } from '../core/broker.js';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type ChannelModel, type ConfirmChannel, type Message } from 'amqplib';
import type { Logger } from '../../engine/log.js';
import type { Delivery, Sink } from '../core/delivery.js';
import { deliveryHeaders } from './delivery-headers.js';
import { deliverable } from './report-document.js';
import { sinkFailure, systemCode } from './sink-failure.js';

export interface AmqpSinkOptions {
  url: string;
  exchange: string;
  /** Default: the message's workflow id, so one binding per workflow sorts them into queues. */
  routingKey?: string;
  /** Declares the exchange (durable) on every connect; otherwise it must already exist. */
  declareExchange?: { type: string };
  log?: Logger;
}

/** Reconnect backoff after a broker restart; deliveries fail fast meanwhile, so this only bounds the gap. */
const RECOVERY = { initialDelay: 200, maxDelay: 5_000, maxRetries: Infinity };
const CLOSE_WAIT_MS = 5_000;

/**
 * Publishes each message persistent and mandatory on a confirm channel and resolves on
 * the broker's confirm: then a queue holds it. A message no queue takes comes back
 * (basic.return, before the confirm) and fails as SINK_UNROUTABLE. The connection
 * recovers by itself after a broker restart; until then `deliver` fails at once.
 *
 * A broker that is down at start-up is just a disconnection; deliveries wait only for
 * the first connection attempt.
 */
export function amqpSink(options: AmqpSinkOptions): Sink & BrokerLink {
  const where = describeBroker(options.url);
  const publisher = new ConfirmPublisher(options);
  const connecting = connect(options, publisher, where);
  connecting.catch(() => undefined);

  return {
    kind: 'amqp',
    role: 'sink',
    broker: where,
    connected: () => publisher.connected(),
    async deliver(message: Delivery) {
      const channel = await connecting.then(() => publisher.channel()).catch((err: unknown) => {
        throw sinkFailure('SINK_FAILED', `no channel to RabbitMQ at ${where} (${systemCode(err)})`);
      });
      if (!channel) throw sinkFailure('SINK_FAILED', `not connected to RabbitMQ at ${where}`);
      await publisher.publish(channel, message);
    },
    async close() {
      const connection = await connecting.catch(() => undefined);
      // amqplib's close never settles if the socket dies at that very moment; shutdown must not hang on it.
      await Promise.race([connection?.close(), sleep(CLOSE_WAIT_MS, undefined, { ref: false })]);
    },
  };
}

/** A recovering connection, resolved once its first attempt has succeeded or failed. */
async function connect(options: AmqpSinkOptions, publisher: ConfirmPublisher, where: string) {
  const connection = await amqp.connect(options.url, {
    recovery: { ...RECOVERY, waitForConnect: false, setup: (model: ChannelModel) => publisher.attach(model) },
  });
  connection.on('disconnect', (err: Error) => {
    publisher.detach();
    options.log?.warn('AMQP sink lost its broker; reconnecting', { broker: where, error: err.message });
  });
  connection.on('connect-failed', (err: Error) => options.log?.warn('AMQP sink cannot connect', { broker: where, error: err.message }));
  connection.on('error', (err: Error) => options.log?.warn('AMQP connection error', { broker: where, error: err.message }));
  await new Promise((resolve) => {
    connection.once('connect', resolve);
    connection.once('connect-failed', resolve);
  });
  return connection;
}

/** The confirm channel of the current connection, reopened when the broker closed it on its own. */
class ConfirmPublisher {
  private model?: ChannelModel;
  private open?: Promise<ConfirmChannel>;
  /** Message ids the broker returned as unroutable, waiting for their confirm. */
  private readonly returned = new Set<string>();

  constructor(private readonly options: AmqpSinkOptions) {}

  /** Runs in the recovery set-up, so a bad exchange declaration fails the connection loudly. */
  async attach(model: ChannelModel): Promise<void> {
    this.model = model;
    this.open = undefined;
    await this.channel();
  }

  detach(): void {
    this.model = undefined;
    this.open = undefined;
  }

  connected(): boolean {
    return this.model !== undefined;
  }

  channel(): Promise<ConfirmChannel | undefined> {
    if (!this.model) return Promise.resolve(undefined);
    if (!this.open) {
      const opening: Promise<ConfirmChannel> = this.openChannel(this.model, () => this.forget(opening));
      this.open = opening;
      opening.catch(() => this.forget(opening));
    }
    return this.open;
  }

  async publish(channel: ConfirmChannel, message: Delivery): Promise<void> {
    const { exchange } = this.options;
    const routingKey = this.options.routingKey ?? message.headers.workflowId ?? '';
    try {
      await new Promise<void>((resolve, reject) => {
        channel.publish(exchange, routingKey, deliverable(message).body, publishOptions(message), (err) => (err ? reject(err) : resolve()));
      });
    } catch (err) {
      this.returned.delete(message.id);
      throw sinkFailure('SINK_FAILED', `RabbitMQ did not confirm the message on exchange ${exchange} (${systemCode(err)})`);
    }
    if (this.returned.delete(message.id)) {
      throw sinkFailure('SINK_UNROUTABLE', `no queue bound to exchange ${exchange} takes routing key ${routingKey}`);
    }
  }

  private async openChannel(model: ChannelModel, onClose: () => void): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    // A channel error (e.g. a missing exchange) closes only the channel: the next delivery opens another.
    channel.on('error', (err: Error) => this.options.log?.warn('AMQP channel closed by the broker', { error: err.message }));
    channel.on('close', onClose);
    channel.on('return', (returned: Message) => this.returned.add(String(returned.properties.messageId)));
    const { declareExchange, exchange } = this.options;
    if (declareExchange) await channel.assertExchange(exchange, declareExchange.type, { durable: true });
    return channel;
  }

  private forget(channel: Promise<ConfirmChannel>): void {
    if (this.open === channel) this.open = undefined;
  }
}

function publishOptions(message: Delivery) {
  return {
    persistent: true,
    mandatory: true,
    messageId: message.id,
    contentType: 'application/xml',
    headers: deliveryHeaders(message.headers),
  };
}
