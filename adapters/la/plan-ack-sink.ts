import { basename, dirname } from 'node:path';
import type { Delivery, Sink } from '../core/delivery.js';
import { writeDurably } from '../delivery/folder-sink.js';
import { sinkFailure, systemCode } from '../delivery/sink-failure.js';
import { findSentFile, sidecarPath } from '../sources/folder-layout.js';

export interface PlanAckSinkOptions {
  /** The plan upload folder: its sent/ holds each file with its MESH message id. */
  folder: string;
  /** Where everything that does not answer a file from that folder goes. */
  otherwise: Sink;
}

export const ACK_SUFFIX = '.ack.xml';

/**
 * Puts the hub's acknowledgement of a plan file beside that file in sent/ (`<name>.ack.xml`),
 * found through the acknowledgement's link to the message it answers. Anything else (access
 * notifications, reports, acknowledgements of files sent another way) goes on to `otherwise`.
 */
export function planAckSink(options: PlanAckSinkOptions): Sink {
  const { folder, otherwise } = options;
  return {
    kind: 'plan-ack',
    async deliver(message: Delivery) {
      const sentFile = await answered(folder, message);
      if (!sentFile) return otherwise.deliver(message);
      const ack = basename(sidecarPath(sentFile, ACK_SUFFIX));
      try {
        await writeDurably(dirname(sentFile), ack, message.body);
      } catch (err) {
        throw sinkFailure('SINK_FAILED', `cannot write ${ack} beside the plan file it answers (${systemCode(err)})`);
      }
    },
    close: () => otherwise.close(),
  };
}

async function answered(folder: string, message: Delivery): Promise<string | undefined> {
  const linked = message.headers.linkedMsgId;
  if (message.headers.messageType !== 'DATA' || !linked) return undefined;
  return findSentFile(folder, linked).catch(() => undefined);
}
