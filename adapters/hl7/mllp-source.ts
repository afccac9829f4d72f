import { createServer, type AddressInfo, type Socket } from 'node:net';
import { MiB } from '../../engine/cpis/xml/codec.js';
import type { Logger } from '../../engine/log.js';
import type { Source } from '../core/delivery.js';
import type { Sender } from '../core/sender.js';
import { answerMessage, answerOversize, type AnswerContext } from './answer.js';
import { MllpDeframer, mllpFrame, type MllpFrame } from './mllp-frames.js';
import type { TranslateOptions } from './to-attendance.js';

export interface MllpSourceOptions {
  /** 0 takes a free port; `port()` tells which after start. */
  port: number;
  /** Every interface unless given. */
  host?: string;
  translate: TranslateOptions;
  send: Sender;
  log: Logger;
  /** Largest message taken, in bytes; 1 MiB unless given. */
  maxBytes?: number;
}

/**
 * Frames queued on one connection before it stops reading: PAS interfaces wait for each
 * ACK, so only a sender that does not would fill this, and it is slowed rather than held
 * in memory.
 */
const MAX_QUEUED = 64;

/**
 * An MLLP listener for a PAS interface. Each connection's messages are answered in order,
 * each ACK written only after the message was dealt with (sent to the hub, skipped or
 * rejected). A bad or oversize frame gets its AR and the connection goes on.
 */
export function mllpSource(options: MllpSourceOptions): Source & { port(): number } {
  const { log } = options;
  const maxBytes = options.maxBytes ?? MiB;
  const ctx: AnswerContext = { translate: options.translate, send: options.send, log };
  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  async function reply(socket: Socket, frame: MllpFrame): Promise<void> {
    const ack = frame.kind === 'message' ? await answerMessage(frame.body, ctx) : answerOversize(frame.head, maxBytes, log);
    // Gone before its ACK: the PAS resends, and the same local id makes that a repeat at the hub.
    if (socket.writable) socket.write(mllpFrame(ack));
  }

  function serve(socket: Socket): void {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    const deframer = new MllpDeframer(maxBytes);
    let tail = Promise.resolve();
    let queued = 0;
    socket.on('data', (chunk: Buffer) => {
      if (stopping) return;
      for (const frame of deframer.push(chunk)) {
        if (++queued >= MAX_QUEUED) socket.pause();
        tail = tail
          .then(() => reply(socket, frame))
          .catch((err: unknown) => { log.error('mllp reply failed', { error: err instanceof Error ? err.message : String(err) }); })
          .finally(() => { if (--queued < MAX_QUEUED && !stopping) socket.resume(); });
        track(tail);
      }
    });
    // A sender may close its side once it has sent: the ACKs still go back, then ours closes.
    socket.on('end', () => { void tail.then(() => socket.end()); });
    socket.on('error', (err) => log.warn('mllp connection error', { error: err.message }));
    socket.on('close', () => sockets.delete(socket));
  }

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  const server = createServer({ allowHalfOpen: true }, serve);

  return {
    kind: 'mllp',
    port: () => (server.address() as AddressInfo | null)?.port ?? options.port,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.on('error', (err) => log.error('mllp listener error', { error: err.message }));
      log.info('mllp listening', { port: (server.address() as AddressInfo).port });
    },
    async stop() {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...inFlight]);
      for (const socket of sockets) socket.end(() => socket.destroy());
      await closed;
      log.info('mllp stopped');
    },
  };
}
