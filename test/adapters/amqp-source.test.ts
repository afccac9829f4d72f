import { randomUUID } from 'node:crypto';
import amqp, { type ConfirmChannel, type GetMessage, type Options } from 'amqplib';
import { checkDocument } from '../../adapters/core/document.js';
import { meshSender, type Prepare, type Sender } from '../../adapters/core/sender.js';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { amqpSource, DEAD_LETTER_HEADERS, type AmqpSourceOptions } from '../../adapters/sources/amqp-source.js';
import { contentLocalId } from '../../adapters/sources/local-id.js';
import { attendanceXml, client, NHS, PASSWORDS, SAMPLE_CONFIG } from '../support/cpis.js';
import { memoryLogger, startTestHub, type TestHub } from '../support/hub.js';
import { startPrivateRabbit, type PrivateRabbit } from '../support/rabbitmq.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { sleep, waitFor } from '../support/worker-processes.js';

const SHARED_RABBIT = 'amqp://guest:guest@127.0.0.1:5672';

const attendance: Prepare = (body) => {
  const error = checkDocument('attendance', body);
  return error ? { ok: false, error } : { ok: true, body };
};

let queue: string;
let lines: Record<string, unknown>[];
let stops: (() => Promise<unknown>)[];

beforeEach(() => {
  queue = `cpisx-test-source-${randomUUID().slice(0, 8)}`;
  lines = [];
  stops = [];
});
afterEach(async () => {
  const failures: unknown[] = [];
  for (const stop of stops.reverse()) await stop().catch((err: unknown) => failures.push(err));
  if (failures.length) throw failures[0];
});

/** The hub's MESH side only, so what the source sent stays in X26HUB's inbox. */
async function hub(): Promise<TestHub> {
  const h = await startTestHub({ cpis: undefined }, { file: SAMPLE_CONFIG });
  stops.push(() => h.stop());
  return h;
}

const trustSender = (mesh: MeshClient, workflowId = 'CPIS_ATTENDANCE'): Sender => meshSender(mesh, { to: 'X26HUB', workflowId });
const logged = (message: string) => lines.filter((l) => l.message === message);

async function consume(url: string, send: Sender, options: Partial<AmqpSourceOptions> = {}) {
  const source = amqpSource({
    url, queue, prefetch: 5, maxAttempts: 3, prepare: attendance, send,
    retry: { baseDelay: 50, maxDelay: 500 }, log: memoryLogger(lines), ...options,
  });
  stops.push(() => removeQueues(url));
  await source.start();
  stops.push(() => source.stop());
  return source;
}

const consuming = (count = 1) => waitFor(async () => logged('AMQP source consuming').length >= count, 60_000, () => JSON.stringify(lines.slice(-5)), 50);

/** A confirm channel on `url` for the test's own publishing and reading; the test's queues are removed at the end. */
async function broker(url: string) {
  const connection = await amqp.connect(url);
  connection.on('error', () => undefined); // a broker restart in the test: this connection is just gone
  const channel = await connection.createConfirmChannel();
  stops.push(() => connection.close().catch(() => undefined));
  return channel;
}

async function removeQueues(url: string): Promise<void> {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  for (const name of [queue, `${queue}.dead`]) await channel.deleteQueue(name);
  await channel.deleteExchange(`${queue}.dead`);
  await connection.close();
}

function publish(channel: ConfirmChannel, body: string, options: Options.Publish = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.sendToQueue(queue, Buffer.from(body), { persistent: true, ...options }, (err: unknown) => (err ? reject(err) : resolve()));
  });
}

async function deadLetter(channel: ConfirmChannel): Promise<GetMessage> {
  let letter: GetMessage | false = false;
  await waitFor(async () => Boolean(letter = await channel.get(`${queue}.dead`, { noAck: true })), 15_000, () => JSON.stringify(lines.slice(-5)), 50);
  return letter as unknown as GetMessage;
}

async function inbox(mesh: MeshClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of mesh.inboxIds()) ids.push(id);
  return ids;
}

const inboxHas = (mesh: MeshClient, count: number, timeoutMs = 15_000) =>
  waitFor(async () => (await inbox(mesh)).length >= count, timeoutMs, async () => `inbox has ${(await inbox(mesh)).length} of ${count}`, 100);

/** Ready messages; after the source stopped, unacked ones are ready again, so 0 means all were acked. */
const waiting = async (channel: ConfirmChannel, name = queue) => (await channel.checkQueue(name)).messageCount;

test('a message goes to the hub under its AMQP message id and is acked', async () => {
  const h = await hub();
  const source = await consume(SHARED_RABBIT, trustSender(client(h, 'RR8PAS')));
  await consuming();
  const channel = await broker(SHARED_RABBIT);
  const xml = attendanceXml(NHS[0], 'ATT-Q1');
  await publish(channel, xml, { messageId: 'pas-msg-1' });
  const plain = attendanceXml(NHS[1], 'ATT-Q2');
  await publish(channel, plain);

  const hubInbox = client(h, 'X26HUB');
  await inboxHas(hubInbox, 2);
  const messages = await Promise.all((await inbox(hubInbox)).map((id) => hubInbox.download(id)));
  const byLocalId = Object.fromEntries(messages.map((m) => [m.headers.localId, m.body.toString()]));
  expect(byLocalId).toEqual({ 'pas-msg-1': xml, [contentLocalId(Buffer.from(plain))]: plain });

  await waitFor(async () => logged('AMQP message sent').length === 2, 5000, () => JSON.stringify(lines), 50);
  expect(logged('AMQP message sent')).toContainEqual(expect.objectContaining({ queue, localId: 'pas-msg-1', acked: true }));
  await source.stop();
  expect(await waiting(channel)).toBe(0);
  expect(await waiting(channel, `${queue}.dead`)).toBe(0);
  expect(JSON.stringify(lines)).not.toContain(NHS[0]);
});

test.each([
  ['an invalid document', 'CPIS_ATTENDANCE', '<Attendance><unclosed></Attendance>', 'NOT_WELL_FORMED'],
  ['a document the hub refuses (workflow not allowed)', 'CPIS_PLAN_UPDATE', attendanceXml(NHS[0], 'ATT-Q3'), 'HUB_REJECTED'],
])('%s is dead-lettered at once with the reason', async (_what, workflowId, body, code) => {
  const h = await hub();
  const source = await consume(SHARED_RABBIT, trustSender(client(h, 'RR8PAS'), workflowId));
  await consuming();
  const channel = await broker(SHARED_RABBIT);
  await publish(channel, body, { messageId: 'pas-bad-1', contentType: 'application/xml', headers: { 'x-origin': 'pas' } });

  const letter = await deadLetter(channel);
  expect(letter.content.toString()).toBe(body);
  expect(letter.properties).toMatchObject({ messageId: 'pas-bad-1', contentType: 'application/xml', deliveryMode: 2 });
  expect(letter.properties.headers).toMatchObject({
    'x-origin': 'pas',
    [DEAD_LETTER_HEADERS.code]: code,
    [DEAD_LETTER_HEADERS.attempts]: 1,
    [DEAD_LETTER_HEADERS.localId]: 'pas-bad-1',
    [DEAD_LETTER_HEADERS.queue]: queue,
  });
  expect(String(letter.properties.headers?.[DEAD_LETTER_HEADERS.reason])).toMatch(new RegExp(`^${code}: `));
  await source.stop();
  expect(await waiting(channel)).toBe(0);
  expect(await inbox(client(h, 'X26HUB'))).toEqual([]);
});

test('while the hub stays down, a message is dead-lettered after maxAttempts as HUB_UNAVAILABLE', async () => {
  const h = await hub();
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(h.url).port) });
  stops.push(() => proxy.close());
  await proxy.down();
  const mesh = new MeshClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, mailboxId: 'RR8PAS', password: PASSWORDS.RR8PAS, sharedKey: 'TestKey', retry: { attempts: 1 } });
  const source = await consume(SHARED_RABBIT, trustSender(mesh), { maxAttempts: 3 });
  await consuming();
  const channel = await broker(SHARED_RABBIT);
  await publish(channel, attendanceXml(NHS[0], 'ATT-Q4'), { messageId: 'pas-down-1' });

  const letter = await deadLetter(channel);
  expect(letter.properties.headers).toMatchObject({ [DEAD_LETTER_HEADERS.code]: 'HUB_UNAVAILABLE', [DEAD_LETTER_HEADERS.attempts]: 3 });
  expect(logged('AMQP message not sent; will retry').map((l) => l.attempts)).toEqual([1, 2]);
  await source.stop();
  expect(await waiting(channel)).toBe(0);
});

test('a message held while the hub is down is delivered once the hub is back in time', async () => {
  const h = await hub();
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(h.url).port) });
  stops.push(() => proxy.close());
  await proxy.down();
  const mesh = new MeshClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, mailboxId: 'RR8PAS', password: PASSWORDS.RR8PAS, sharedKey: 'TestKey', retry: { attempts: 1 } });
  const source = await consume(SHARED_RABBIT, trustSender(mesh), { maxAttempts: 50 });
  await consuming();
  const channel = await broker(SHARED_RABBIT);
  await publish(channel, attendanceXml(NHS[0], 'ATT-Q5'), { messageId: 'pas-back-1' });

  await waitFor(async () => logged('AMQP message not sent; will retry').length >= 2, 10_000, () => JSON.stringify(lines), 50);
  await proxy.up();
  await inboxHas(client(h, 'X26HUB'), 1);
  await waitFor(async () => logged('AMQP message sent').length === 1, 5000, () => JSON.stringify(lines), 50);
  await source.stop();
  expect(await waiting(channel)).toBe(0);
  expect(await waiting(channel, `${queue}.dead`)).toBe(0);
});

describe('with a private RabbitMQ that goes away', () => {
  let rabbit: PrivateRabbit;
  beforeAll(async () => { rabbit = await startPrivateRabbit(); }, 90_000);
  afterAll(() => rabbit?.teardown());

  test('down at start: one log line, then it connects; a stream across a restart reaches the hub exactly once', async () => {
    await rabbit.stop();
    const h = await hub();
    const toHub = trustSender(client(h, 'RR8PAS'));
    // Sends 4 to 6 are held until the broker is down: their acks fail, RabbitMQ redelivers them after the restart.
    let brokerDown!: () => void;
    const down = new Promise<void>((resolve) => { brokerDown = resolve; });
    let sends = 0;
    const send: Sender = async (m) => {
      sends++;
      if (sends > 3 && sends <= 6) await down;
      return toHub(m);
    };
    await consume(rabbit.url, send, { maxAttempts: 50 });
    await sleep(1500); // several connection attempts
    expect(logged('AMQP source cannot connect; retrying in the background')).toHaveLength(1);

    await rabbit.start();
    await consuming(1);
    const ids = Array.from({ length: 20 }, (_, i) => `stream-${i}`);
    let channel = await broker(rabbit.url);
    for (const id of ids.slice(0, 10)) await publish(channel, attendanceXml(NHS[0], id), { messageId: id });
    const hubInbox = client(h, 'X26HUB');
    await inboxHas(hubInbox, 3);

    await rabbit.stop();
    brokerDown();
    await waitFor(async () => logged('AMQP message sent').filter((l) => l.acked === false).length >= 3, 10_000, () => JSON.stringify(lines), 50);
    await rabbit.start();
    await consuming(2);
    channel = await broker(rabbit.url);
    for (const id of ids.slice(10)) await publish(channel, attendanceXml(NHS[0], id), { messageId: id });

    await inboxHas(hubInbox, ids.length, 60_000);
    await sleep(500); // any duplicate would have arrived by now
    const messages = await Promise.all((await inbox(hubInbox)).map((id) => hubInbox.download(id)));
    expect(messages).toHaveLength(ids.length);
    expect(messages.map((m) => m.headers.localId).sort()).toEqual([...ids].sort());
    expect(logged('AMQP source lost its broker; reconnecting').length).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
