import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Message } from 'node-hl7-client';
import { meshSender, type SendOutcome, type Sender } from '../../adapters/core/sender.js';
import { MllpDeframer, mllpFrame, type MllpFrame } from '../../adapters/hl7/mllp-frames.js';
import { mllpSource, type MllpSourceOptions } from '../../adapters/hl7/mllp-source.js';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { emergencyA04, fixture, withField } from '../fixtures/hl7/messages.js';
import { client, collect, NHS, PASSWORDS, startCpisHub } from '../support/cpis.js';
import { memoryLogger, type TestHub } from '../support/hub.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const VT = '\x0b';
const FS_CR = '\x1c\r';

describe('MLLP framing', () => {
  const bodies = (frames: MllpFrame[]) => frames.map((f) => (f.kind === 'message' ? f.body.toString() : `oversize:${f.head.toString()}`));

  test('several frames in one packet, with noise between them, come out in order', () => {
    const deframer = new MllpDeframer(1024);
    const bytes = Buffer.from(`noise${VT}one${FS_CR}\r\n${VT}two${FS_CR}junk${VT}three${FS_CR}`);
    expect(bodies(deframer.push(bytes))).toEqual(['one', 'two', 'three']);
  });

  test('a frame split across packets, down to single bytes, comes out whole and once', () => {
    const deframer = new MllpDeframer(1024);
    const bytes = Buffer.concat([mllpFrame('MSH|^~\\&|a'), mllpFrame('MSH|^~\\&|b')]);
    const frames = [...bytes].flatMap((byte) => deframer.push(Buffer.from([byte])));
    expect(bodies(frames)).toEqual(['MSH|^~\\&|a', 'MSH|^~\\&|b']);
  });

  test('a start byte inside a frame drops the unfinished frame: the sender started over', () => {
    const deframer = new MllpDeframer(1024);
    expect(bodies(deframer.push(Buffer.from(`${VT}half${VT}whole${FS_CR}`)))).toEqual(['whole']);
  });

  test('a frame over the limit is reported with its head only, and the next frame is whole', () => {
    const deframer = new MllpDeframer(8);
    const frames = [
      ...deframer.push(Buffer.from(`${VT}0123456789`)),
      ...deframer.push(Buffer.from(`abcdef${FS_CR}${VT}small${FS_CR}`)),
    ];
    expect(bodies(frames)).toEqual(['oversize:01234567', 'small']);
  });
});

/** The PAS end of one MLLP connection, reading ACK frames with its own parsing. */
class PasConnection {
  private received = '';

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => { this.received += chunk.toString('utf8'); });
  }

  static async open(port: number): Promise<PasConnection> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new PasConnection(socket);
  }

  async write(...packets: (string | Buffer)[]): Promise<void> {
    for (const packet of packets) {
      this.socket.write(packet);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** ACKs received so far. */
  count(): number {
    return this.frames().length;
  }

  private frames(): string[] {
    return this.received.split(FS_CR).slice(0, -1).map((f) => f.slice(f.indexOf(VT) + 1));
  }

  /** Waits for `count` ACKs in all, then returns them parsed. */
  async acks(count: number, timeoutMs = 15_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.count() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const acks = this.frames();
    if (acks.length < count) throw new Error(`${acks.length} of ${count} ACKs arrived`);
    return acks.map((text) => new Message({ text }));
  }

  close(): void {
    this.socket.destroy();
  }
}

const frame = (text: string) => mllpFrame(text);
const msa = (ack: Message) => [ack.get('MSA.1').toString(), ack.get('MSA.2').toString(), ack.get('MSA.3').toString()];

let hub: TestHub;
let trustSender: Sender;
let lines: Record<string, unknown>[];
let cleanups: (() => Promise<void> | void)[];

beforeAll(async () => {
  hub = await startCpisHub();
  trustSender = meshSender(client(hub, 'RR8PAS'), { to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE' });
});
afterAll(async () => {
  await hub.stop();
});
beforeEach(() => {
  lines = [];
  cleanups = [];
});
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startSource(options: Partial<MllpSourceOptions> = {}) {
  const source = mllpSource({ port: 0, host: '127.0.0.1', translate: {}, send: trustSender, log: memoryLogger(lines), ...options });
  await source.start();
  cleanups.push(() => source.stop());
  return source;
}

async function openConnection(port: number): Promise<PasConnection> {
  const connection = await PasConnection.open(port);
  cleanups.push(() => connection.close());
  return connection;
}

/**
 * The flag responses in RR8PAS's inbox for these control ids, waited for; other tests'
 * responses are taken out of the inbox on the way.
 */
async function flagResponses(controlIds: string[], timeoutMs = 15_000) {
  const wanted = new Set(controlIds.map((c) => `hl7-PAS-RR8-${c}`));
  const found: Awaited<ReturnType<typeof collect>> = [];
  const deadline = Date.now() + timeoutMs;
  while (found.length < wanted.size && Date.now() < deadline) {
    const batch = await collect(client(hub, 'RR8PAS'), 1, Math.max(deadline - Date.now(), 0));
    found.push(...batch.filter((m) => wanted.has(m.headers.localId ?? '')));
  }
  return found;
}

/** Control ids unique to this run, so that no test meets another's message at the hub. */
const id = (name: string) => `${name}-${process.pid}-${Date.now() % 1e6}`;

test('messages on one connection, joined in one packet or split over several, each get AA once the hub took them; flags come back to RR8PAS', async () => {
  const source = await startSource();
  const pas = await openConnection(source.port());
  const [c1, c2, c3, c4] = ['one', 'two', 'update', 'split'].map(id);
  const a01 = withField(withField(fixture('a01-emergency.hl7'), 'MSH.10', c2), 'PV1.19', `V-${c2}`);
  const a08 = withField(fixture('a08-update.hl7'), 'MSH.10', c3);
  const split = frame(emergencyA04(c4).replace(NHS[0], NHS[2]));

  await pas.write(Buffer.concat([frame(emergencyA04(c1)), frame(a01), frame(a08)]));
  await pas.write(split.subarray(0, 5), split.subarray(5, 200), split.subarray(200));

  const acks = await pas.acks(4);
  expect(acks.map(msa)).toEqual([['AA', c1, ''], ['AA', c2, ''], ['AA', c3, ''], ['AA', c4, '']]);
  const flags = await flagResponses([c1, c2, c4]);
  const answered = flags.map((f) => {
    const parsed = parseFlagResponse(f.body);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return [f.headers.workflowId, f.headers.localId, parsed.value.attendanceId, parsed.value.nhsNumber];
  });
  expect(answered.sort()).toEqual([
    ['CPIS_ATTENDANCE_RESPONSE', `hl7-PAS-RR8-${c1}`, `V-${c1}`, NHS[0]],
    ['CPIS_ATTENDANCE_RESPONSE', `hl7-PAS-RR8-${c2}`, `V-${c2}`, NHS[1]],
    ['CPIS_ATTENDANCE_RESPONSE', `hl7-PAS-RR8-${c4}`, `V-${c4}`, NHS[2]],
  ].sort());
  expect(lines).toContainEqual(expect.objectContaining({ message: 'hl7 message skipped', controlId: c3 }));
  expect(lines.filter((l) => l.message === 'hl7 attendance sent').map((l) => l.controlId).sort()).toEqual([c1, c2, c4].sort());
  const logged = JSON.stringify(lines);
  for (const patientValue of [...NHS, 'Harrow', 'Jayden', '20160814']) expect(logged).not.toContain(patientValue);
});

test('a garbage frame gets AR, and the next message on the same connection still gets AA', async () => {
  const source = await startSource();
  const pas = await openConnection(source.port());
  const good = id('after-garbage');
  await pas.write(frame('this is not HL7 at all'), 'stray bytes between frames', frame(emergencyA04(good)));
  const acks = await pas.acks(2);
  expect(acks.map(msa)).toEqual([
    ['AR', '', 'the message does not start with an MSH segment'],
    ['AA', good, ''],
  ]);
  expect(acks[0].get('ERR.3.1').toString()).toBe('102');
});

test('a PAS that closes its side after sending still gets its ACK before the connection closes', async () => {
  const source = await startSource();
  const pas = await openConnection(source.port());
  const controlId = id('half-close');
  const closed = once(pas.socket, 'close');
  pas.socket.end(frame(emergencyA04(controlId)));
  await closed;
  expect((await pas.acks(1, 0)).map(msa)).toEqual([['AA', controlId, '']]);
});

test('an attendance without an NH identifier gets AR naming PID-3, and nothing goes to the hub', async () => {
  const sent: string[] = [];
  const source = await startSource({ send: async (m) => { sent.push(m.localId); return trustSender(m); } });
  const pas = await openConnection(source.port());
  const controlId = id('no-nh');
  await pas.write(frame(withField(fixture('a04-no-nhs-number.hl7'), 'MSH.10', controlId)));
  const [ack] = await pas.acks(1);
  expect(msa(ack)).toEqual(['AR', controlId, 'PID-3: no identifier of type NH']);
  expect(ack.get('ERR.3.1').toString()).toBe('101');
  expect(sent).toEqual([]);
});

test('an oversize frame gets AR naming the message, and the connection goes on', async () => {
  const source = await startSource({ maxBytes: 2048 });
  const pas = await openConnection(source.port());
  const [big, small] = [id('big'), id('small')];
  const padded = `${emergencyA04(big)}\rNTE|1||${'x'.repeat(10_000)}`;
  const bigFrame = frame(padded);
  await pas.write(bigFrame.subarray(0, 3000), bigFrame.subarray(3000), frame(emergencyA04(small)));
  const acks = await pas.acks(2);
  expect(acks.map(msa)).toEqual([['AR', big, 'the message is larger than 2048 bytes'], ['AA', small, '']]);
});

test('the hub refusing the message (a workflow RR8PAS may not use) is AR with its reason', async () => {
  const source = await startSource({ send: meshSender(client(hub, 'RR8PAS'), { to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE' }) });
  const pas = await openConnection(source.port());
  const controlId = id('refused');
  await pas.write(frame(emergencyA04(controlId)));
  const [ack] = await pas.acks(1);
  expect(msa(ack).slice(0, 2)).toEqual(['AR', controlId]);
  expect(msa(ack)[2]).toMatch(/^the hub refused the message/);
});

test('hub down: AE, so the PAS resends; resent once the hub is back, the message gets AA', async () => {
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(hub.url).port) });
  cleanups.push(() => proxy.close());
  const viaProxy = new MeshClient({
    baseUrl: `http://127.0.0.1:${proxy.port}`, mailboxId: 'RR8PAS', password: PASSWORDS.RR8PAS, sharedKey: 'TestKey', retry: { attempts: 1, baseDelayMs: 10 },
  });
  const source = await startSource({ send: meshSender(viaProxy, { to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE' }) });
  const pas = await openConnection(source.port());
  const controlId = id('hub-down');
  const message = frame(emergencyA04(controlId));

  await proxy.down();
  await pas.write(message);
  const [down] = await pas.acks(1);
  expect(msa(down).slice(0, 2)).toEqual(['AE', controlId]);
  expect(msa(down)[2]).toMatch(/^the hub could not take the message now/);

  await proxy.up();
  await pas.write(message);
  const [, up] = await pas.acks(2);
  expect(msa(up)).toEqual(['AA', controlId, '']);
});

test('the same message sent again is the same MESH message: the hub drops the repeat by local id', async () => {
  const outcomes: SendOutcome[] = [];
  const source = await startSource({ send: async (m) => { const outcome = await trustSender(m); outcomes.push(outcome); return outcome; } });
  const pas = await openConnection(source.port());
  const controlId = id('resent');
  const message = frame(emergencyA04(controlId));
  await pas.write(message);
  await pas.acks(1);
  await pas.write(message);
  const acks = await pas.acks(2);
  expect(acks.map(msa)).toEqual([['AA', controlId, ''], ['AA', controlId, '']]);
  expect(outcomes).toHaveLength(2);
  expect(outcomes[0].ok && outcomes[1].ok && outcomes[1].messageId).toBe(outcomes[0].ok && outcomes[0].messageId);
  expect(await flagResponses([controlId])).toHaveLength(1);
});

test('stop waits for the message in hand: its ACK is written, then the connection closes and no new one is taken', async () => {
  let entered!: () => void;
  const inSend = new Promise<void>((resolve) => { entered = resolve; });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const source = mllpSource({
    port: 0, host: '127.0.0.1', translate: {}, log: memoryLogger(lines),
    send: async (m) => { entered(); await gate; return trustSender(m); },
  });
  await source.start();
  cleanups.push(() => source.stop());
  const port = source.port();
  const pas = await openConnection(port);
  const controlId = id('in-flight');
  await pas.write(frame(emergencyA04(controlId)));
  await inSend;

  let stopped = false;
  const stopping = source.stop().then(() => { stopped = true; });
  const closed = once(pas.socket, 'close');
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(stopped).toBe(false);
  expect(pas.count()).toBe(0);
  release();
  await stopping;
  await closed;
  expect((await pas.acks(1)).map(msa)).toEqual([['AA', controlId, '']]);
  const refused = connect(port, '127.0.0.1');
  const [error] = await once(refused, 'error');
  expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
});
