import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import { describeError, type AdapterError } from '../core/errors.js';

/** Headers a dead letter carries besides the original message's own. */
export const DEAD_LETTER_HEADERS = {
  code: 'x-cpis-error-code',
  /** describeError: code, message and details, one per line. */
  reason: 'x-cpis-error',
  attempts: 'x-cpis-attempts',
  localId: 'x-cpis-local-id',
  queue: 'x-cpis-source-queue',
} as const;

/** Tells our returned letters apart on a channel shared by concurrent publishes. */
const LETTER_ID = 'x-cpis-dead-letter-id';

export interface DeadLetter {
  error: AdapterError;
  attempts: number;
  localId: string;
  queue: string;
}

/**
 * Publishes the original body and properties, persistent and mandatory, to the dead-letter
 * exchange. Resolves only once RabbitMQ confirmed it and did not return it as unroutable:
 * then a queue holds it and the original may be acked. Rejects otherwise.
 */
export function publishDeadLetter(channel: ConfirmChannel, exchange: string, original: ConsumeMessage, letter: DeadLetter): Promise<void> {
  const id = randomUUID();
  let returned = false;
  const onReturn = (message: Message) => { if (message.properties.headers?.[LETTER_ID] === id) returned = true; };
  channel.on('return', onReturn);
  return new Promise<void>((resolve, reject) => {
    channel.publish(exchange, letter.queue, original.content, letterProperties(original, letter, id), (err: unknown) => {
      if (err) reject(new Error(`RabbitMQ did not confirm the dead letter: ${(err as Error).message}`));
      else if (returned) reject(new Error(`no queue is bound to the dead-letter exchange ${exchange}`));
      else resolve();
    });
  }).finally(() => channel.off('return', onReturn));
}

function letterProperties(original: ConsumeMessage, letter: DeadLetter, id: string) {
  const { messageId, contentType, contentEncoding, correlationId, type, appId, timestamp, headers } = original.properties;
  return {
    messageId, contentType, contentEncoding, correlationId, type, appId, timestamp,
    persistent: true,
    mandatory: true,
    headers: {
      ...headers,
      [DEAD_LETTER_HEADERS.code]: letter.error.code,
      [DEAD_LETTER_HEADERS.reason]: describeError(letter.error),
      [DEAD_LETTER_HEADERS.attempts]: letter.attempts,
      [DEAD_LETTER_HEADERS.localId]: letter.localId,
      [DEAD_LETTER_HEADERS.queue]: letter.queue,
      [LETTER_ID]: id,
    },
  };
}
