/**
 * MLLP framing: each message is sent as 0x0B, the message, 0x1C 0x0D. TCP may split a frame
 * or join several, so frames are rebuilt from the byte stream here, away from the socket.
 */
const START = 0x0b;
const END = 0x1c;
const END_TAIL = Buffer.from([END, 0x0d]);
/** What is kept of an oversize frame: enough for its MSH, so the AR can name the message. */
const HEAD_BYTES = 4096;

export type MllpFrame =
  | { kind: 'message'; body: Buffer }
  | { kind: 'oversize'; head: Buffer };

export function mllpFrame(text: string): Buffer {
  return Buffer.concat([Buffer.from([START]), Buffer.from(text, 'utf8'), END_TAIL]);
}

/**
 * A frame ends at 0x1C; the 0x0D after it is read as the gap between frames, like any other
 * byte outside a frame, which is dropped. A 0x0B inside a frame means the sender started
 * over, so the unfinished frame is dropped. A frame over `maxBytes` is not held: only its
 * head is kept, and it is reported as oversize when its end arrives.
 */
export class MllpDeframer {
  private parts: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private head: Buffer | undefined;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): MllpFrame[] {
    const frames: MllpFrame[] = [];
    let at = 0;
    while (at < chunk.length) {
      const start = chunk.indexOf(START, at);
      if (!this.inFrame) {
        if (start < 0) break;
        this.begin();
        at = start + 1;
        continue;
      }
      const end = chunk.indexOf(END, at);
      if (start >= 0 && (end < 0 || start < end)) {
        this.begin();
        at = start + 1;
      } else if (end >= 0) {
        this.take(chunk.subarray(at, end));
        frames.push(this.finish());
        at = end + 1;
      } else {
        this.take(chunk.subarray(at));
        at = chunk.length;
      }
    }
    return frames;
  }

  private begin(): void {
    this.inFrame = true;
    this.parts = [];
    this.size = 0;
    this.head = undefined;
  }

  private take(bytes: Buffer): void {
    this.size += bytes.length;
    if (this.head) return;
    this.parts.push(bytes);
    if (this.size > this.maxBytes) {
      this.head = Buffer.concat(this.parts, Math.min(HEAD_BYTES, this.maxBytes));
      this.parts = [];
    }
  }

  private finish(): MllpFrame {
    this.inFrame = false;
    const frame: MllpFrame = this.head ? { kind: 'oversize', head: this.head } : { kind: 'message', body: Buffer.concat(this.parts) };
    this.parts = [];
    this.head = undefined;
    return frame;
  }
}
