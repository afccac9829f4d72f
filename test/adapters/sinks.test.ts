import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Delivery, Sink } from '../../adapters/core/delivery.js';
import { AdapterFailure, type AdapterErrorCode } from '../../adapters/core/errors.js';
import { amqpSink } from '../../adapters/delivery/amqp-sink.js';
import { fileNameFor, folderSink } from '../../adapters/delivery/folder-sink.js';
import { webhookSink } from '../../adapters/delivery/webhook-sink.js';
import type { MeshMessageHeaders } from '../../adapters/mesh-client/index.js';
import { parseMeshReport } from '../../engine/cpis/xml/mesh-report.js';
import { startPrivateRabbit } from '../support/rabbitmq.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { sleep } from '../support/wait.js';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

function delivery(id: string, headers: Partial<MeshMessageHeaders> = {}): Delivery {
  return {
    id,
    body: Buffer.from(`<notification id="${id}"/>`),
    headers: { messageId: id, messageType: 'DATA', from: 'X26HUB', workflowId: 'CPIS_ACCESS_NOTIFICATION', localId: `local-${id}`, ...headers },
  };
}

/** A REPORT as the hub sends it (engine/mailbox/report.ts): no body, everything in the headers. */
function report(id: string): Delivery {
  return {
    id,
    body: Buffer.alloc(0),
    headers: {
      messageId: id, messageType: 'REPORT', workflowId: 'CPIS_PLAN_UPDATE', localId: 'plan-1042.xml-3f9a1c',
      statusCode: '15', statusEvent: 'VALIDATE', statusSuccess: false, statusTimestamp: '20240501093002',
      statusDescription: 'the file breaks a CP-IS rule: the NHS number fails the Modulus 11 check',
      linkedMsgId: id.replace(/_R15$/, ''),
    },
  };
}

/** A delivered REPORT is a meshReport document (checked against its XSD) with the report's headers in it. */
function expectReportDocument(body: Buffer, id: string): void {
  const parsed = parseMeshReport(body);
  if (!parsed.ok) throw new Error(`not a valid meshReport: ${parsed.error.message}`);
  expect(parsed.value).toEqual({
    reportId: id,
    code: '15',
    description: 'the file breaks a CP-IS rule: the NHS number fails the Modulus 11 check',
    event: 'VALIDATE',
    time: '2024-05-01T09:30:02Z',
    linkedMessageId: id.replace(/_R15$/, ''),
    localId: 'plan-1042.xml-3f9a1c',
    workflowId: 'CPIS_PLAN_UPDATE',
  });
}

/** The code of the AdapterFailure `work` rejects with. */
async function failureOf(work: Promise<unknown>): Promise<{ code: AdapterErrorCode; message: string }> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof AdapterFailure)) throw new Error(`expected an AdapterFailure, got ${String(err)}`);
  return err.error;
}

describe('folder sink', () => {
  let root: string;
  beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'folder-sink-')); });
  afterEach(() => rm(root, { recursive: true, force: true }));

  test('writes <messageId>.xml with the body and leaves no temporary file', async () => {
    const sink = folderSink({ folder: root });
    await sink.deliver(delivery('20261120221400123456_ABC123'));
    expect(await readdir(root)).toEqual(['20261120221400123456_ABC123.xml']);
    expect(await readFile(join(root, '20261120221400123456_ABC123.xml'), 'utf8')).toBe('<notification id="20261120221400123456_ABC123"/>');
  });

  test('the same message delivered twice leaves one file', async () => {
    const sink = folderSink({ folder: root });
    await sink.deliver(delivery('M1'));
    await sink.deliver(delivery('M1'));
    expect(await readdir(root)).toEqual(['M1.xml']);
  });

  test('an id cannot leave the folder or hide as a dot file', async () => {
    expect(fileNameFor('../../etc/passwd')).toBe('______etc_passwd.xml');
    expect(fileNameFor('.hidden')).toBe('_hidden.xml');
    await folderSink({ folder: root }).deliver(delivery('../escape'));
    expect(await readdir(root)).toEqual(['___escape.xml']);
  });

  test('a REPORT becomes a file holding its readable report document, not an empty file', async () => {
    await folderSink({ folder: root }).deliver(report('20240501093000123001_A1B2C3_R15'));
    expectReportDocument(await readFile(join(root, '20240501093000123001_A1B2C3_R15.xml')), '20240501093000123001_A1B2C3_R15');
  });

  test('a missing folder fails with SINK_FAILED naming the folder', async () => {
    const missing = join(root, 'not-there');
    const error = await failureOf(folderSink({ folder: missing }).deliver(delivery('M2')));
    expect(error.code).toBe('SINK_FAILED');
    expect(error.message).toContain(missing);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('webhook sink', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => { receiver = await startWebhookReceiver(); });
  afterEach(() => receiver.close());

  test('POSTs the XML with the MESH ids and the configured headers; 2xx resolves', async () => {
    const sink = webhookSink({ url: receiver.url, timeoutMs: 2_000, headers: { authorization: 'Bearer la-token' } });
    await sink.deliver(delivery('W1'));
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request.method).toBe('POST');
    expect(request.body.toString()).toBe('<notification id="W1"/>');
    expect(request.headers).toMatchObject({
      'content-type': 'application/xml',
      'x-mesh-message-id': 'W1',
      'x-mesh-message-type': 'DATA',
      'x-mesh-workflow-id': 'CPIS_ACCESS_NOTIFICATION',
      'x-mesh-from': 'X26HUB',
      'x-mesh-local-id': 'local-W1',
      authorization: 'Bearer la-token',
    });
  });

  test('a REPORT is posted as its readable report document, with its MESH status in headers', async () => {
    await webhookSink({ url: receiver.url, timeoutMs: 2_000 }).deliver(report('W9_R15'));
    const [request] = receiver.requests;
    expectReportDocument(request.body, 'W9_R15');
    expect(request.headers).toMatchObject({
      'content-type': 'application/xml', 'x-mesh-message-type': 'REPORT', 'x-mesh-status-code': '15', 'x-mesh-linked-message-id': 'W9',
    });
  });

  test('a message without a local id goes without the header', async () => {
    await webhookSink({ url: receiver.url, timeoutMs: 2_000 }).deliver(delivery('W2', { localId: undefined }));
    expect(receiver.requests[0].headers).not.toHaveProperty('x-mesh-local-id');
  });

  test('a 500 answer fails with SINK_FAILED', async () => {
    receiver.mode = 'fail';
    const error = await failureOf(webhookSink({ url: receiver.url, timeoutMs: 2_000 }).deliver(delivery('W3')));
    expect(error.code).toBe('SINK_FAILED');
    expect(receiver.requests.map((r) => r.status)).toEqual([500]);
  });

  test('no answer within the timeout fails with SINK_TIMEOUT', async () => {
    receiver.mode = 'hang';
    const error = await failureOf(webhookSink({ url: receiver.url, timeoutMs: 200 }).deliver(delivery('W4')));
    expect(error.code).toBe('SINK_TIMEOUT');
    expect(receiver.requests).toHaveLength(1);
  });

  test('a refused connection fails with SINK_FAILED', async () => {
    const url = receiver.url;
    await receiver.close();
    const error = await failureOf(webhookSink({ url, timeoutMs: 2_000 }).deliver(delivery('W5')));
    expect(error.code).toBe('SINK_FAILED');
    receiver = await startWebhookReceiver();
  });
});

describe('AMQP sink', () => {
  const run = `cpisx-sink-test-${process.pid}-${Date.now()}`;
  const exchange = `${run}-x`;
  const queue = `${run}-q`;
  let admin: ChannelModel;
  let channel: Channel;
  const sinks: Sink[] = [];
  const open = (options: Partial<Parameters<typeof amqpSink>[0]> = {}) => {
    const sink = amqpSink({ url: AMQP_URL, exchange, declareExchange: { type: 'direct' }, ...options });
    sinks.push(sink);
    return sink;
  };

  beforeAll(async () => {
    admin = await amqp.connect(AMQP_URL);
    channel = await admin.createChannel();
    await channel.assertExchange(exchange, 'direct', { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, exchange, 'CPIS_ACCESS_NOTIFICATION');
  });
  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((s) => s.close()));
    await channel.purgeQueue(queue);
  });
  afterAll(async () => {
    await channel.deleteQueue(queue);
    for (const name of [exchange, `${run}-later`]) await channel.deleteExchange(name);
    await admin.close();
  });

  const nextMessage = async (): Promise<GetMessage> => {
    for (let i = 0; i < 50; i++) {
      const got = await channel.get(queue, { noAck: true });
      if (got) return got;
      await sleep(50);
    }
    throw new Error('nothing arrived in the queue');
  };

  test('publishes persistent with the MESH ids, routed by workflow; the bound queue receives it', async () => {
    await open().deliver(delivery('A1'));
    const got = await nextMessage();
    expect(got.content.toString()).toBe('<notification id="A1"/>');
    expect(got.fields.routingKey).toBe('CPIS_ACCESS_NOTIFICATION');
    expect(got.properties).toMatchObject({ messageId: 'A1', contentType: 'application/xml', deliveryMode: 2 });
    expect(got.properties.headers).toMatchObject({
      'mesh-message-id': 'A1',
      'mesh-workflow-id': 'CPIS_ACCESS_NOTIFICATION',
      'mesh-from': 'X26HUB',
      'mesh-local-id': 'local-A1',
    });
  });

  test('a REPORT is published as its readable report document, routed by its workflow', async () => {
    await channel.bindQueue(queue, exchange, 'CPIS_PLAN_UPDATE');
    await open().deliver(report('A9_R15'));
    const got = await nextMessage();
    expectReportDocument(got.content, 'A9_R15');
    expect(got.properties.headers).toMatchObject({ 'mesh-message-type': 'REPORT', 'mesh-status-code': '15', 'mesh-linked-message-id': 'A9' });
  });

  test('a message no queue takes fails with SINK_UNROUTABLE', async () => {
    const error = await failureOf(open().deliver(delivery('A2', { workflowId: 'NOBODY_LISTENS' })));
    expect(error.code).toBe('SINK_UNROUTABLE');
    // The channel is still good for the next message.
    const sink = sinks[0];
    await sink.deliver(delivery('A3'));
    expect((await nextMessage()).properties.messageId).toBe('A3');
  });

  test('a configured routing key replaces the workflow', async () => {
    await channel.bindQueue(queue, exchange, 'la-706');
    await open({ routingKey: 'la-706' }).deliver(delivery('A4', { workflowId: 'NOBODY_LISTENS' }));
    expect((await nextMessage()).fields.routingKey).toBe('la-706');
  });

  test('a missing exchange fails with SINK_FAILED, and delivery works once it exists', async () => {
    const later = `${run}-later`;
    const sink = open({ exchange: later, declareExchange: undefined });
    expect((await failureOf(sink.deliver(delivery('A5')))).code).toBe('SINK_FAILED');
    await channel.assertExchange(later, 'fanout', { durable: true });
    await channel.bindQueue(queue, later, '');
    await sink.deliver(delivery('A5'));
    expect((await nextMessage()).properties.messageId).toBe('A5');
  });

  test('fails fast while the broker is away and delivers again once it is back', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5672 });
    const sink = open({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}` });
    try {
      await sink.deliver(delivery('A6'));
      await proxy.down();
      await sleep(100);
      expect((await failureOf(sink.deliver(delivery('A7')))).code).toBe('SINK_FAILED');
      await proxy.up();
      await eventually(() => sink.deliver(delivery('A7')));
      const ids = [(await nextMessage()).properties.messageId, (await nextMessage()).properties.messageId];
      expect(ids).toEqual(['A6', 'A7']);
    } finally {
      await sink.close();
      await proxy.close();
    }
  }, 20_000);
});

describe('AMQP sink across a RabbitMQ restart', () => {
  test('fails fast while the broker is stopped, reconnects by itself after its restart', async () => {
    const rabbit = await startPrivateRabbit();
    const sink = amqpSink({ url: rabbit.url, exchange: 'cpis', declareExchange: { type: 'direct' } });
    const opened: ChannelModel[] = [];
    const admin = async () => {
      const connection = await amqp.connect(rabbit.url);
      // A connection left open past the broker's teardown would raise heartbeat errors in later tests of this process.
      connection.on('error', () => undefined);
      opened.push(connection);
      return { connection, channel: await connection.createChannel() };
    };
    try {
      const setup = await admin();
      // Declared here as the sink declares it: the sink connects in the background and may not have yet.
      await setup.channel.assertExchange('cpis', 'direct', { durable: true });
      await setup.channel.assertQueue('la-706', { durable: true });
      await setup.channel.bindQueue('la-706', 'cpis', 'CPIS_ACCESS_NOTIFICATION');
      await setup.connection.close();
      await sink.deliver(delivery('R1'));

      await rabbit.stop();
      expect((await failureOf(sink.deliver(delivery('R2')))).code).toBe('SINK_FAILED');
      await rabbit.start();
      await eventually(() => sink.deliver(delivery('R2')), 20_000);

      const check = await admin();
      const ids = [];
      for (let got = await check.channel.get('la-706'); got; got = await check.channel.get('la-706')) ids.push(got.properties.messageId);
      expect(ids).toEqual(['R1', 'R2']);
      await check.connection.close();
    } finally {
      await Promise.all(opened.map((connection) => connection.close().catch(() => undefined)));
      await sink.close();
      await rabbit.teardown();
    }
  }, 120_000);
});

/** Retries `work` until it succeeds, as the poller would. */
async function eventually(work: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}
