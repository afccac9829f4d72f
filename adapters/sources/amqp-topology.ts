import type { Channel } from 'amqplib';

/**
 * The queues an AMQP source reads and fills.
 *
 * Why the source dead-letters by itself, and what the broker's delivery-limit is for:
 * the source knows why a message failed (a schema error, a hub refusal, the hub down for
 * `maxAttempts` tries) and puts that in the dead letter's headers, which broker
 * dead-lettering cannot do. It retries transient faults while holding the message, so
 * those attempts never return the message to the queue and RabbitMQ's delivery count does
 * not see them. The broker's limit is kept as a safety net for the case the source cannot
 * handle: a message that is redelivered again and again because the process dies or
 * loses its connection while holding it. So the declared queue is a quorum queue with an
 * explicit `x-delivery-limit` and the same dead-letter exchange; such a letter carries
 * RabbitMQ's `x-death`/`x-first-death-reason: delivery_limit` instead of our headers.
 */
export interface Topology {
  queue: string;
  /** A fanout exchange with a durable queue of the same name bound to it. */
  deadLetterExchange: string;
  deliveryLimit: number;
}

export function defaultDeadLetterExchange(queue: string): string {
  return `${queue}.dead`;
}

export async function declareTopology(channel: Channel, t: Topology): Promise<void> {
  await channel.assertExchange(t.deadLetterExchange, 'fanout', { durable: true });
  await channel.assertQueue(t.deadLetterExchange, { durable: true });
  await channel.bindQueue(t.deadLetterExchange, t.deadLetterExchange, '');
  await channel.assertQueue(t.queue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': t.deliveryLimit, 'x-dead-letter-exchange': t.deadLetterExchange },
  });
}

/** For queues the broker's operators declare: fail the connection loudly if either is missing. */
export async function checkTopology(channel: Channel, t: Topology): Promise<void> {
  await channel.checkQueue(t.queue);
  await channel.checkExchange(t.deadLetterExchange);
}
