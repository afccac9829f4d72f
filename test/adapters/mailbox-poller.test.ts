import amqp from 'amqplib';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Delivery, Sink } from '../../adapters/core/delivery.js';
import { amqpSink } from '../../adapters/delivery/amqp-sink.js';
import { DeliveryLedger } from '../../adapters/delivery/delivery-ledger.js';
import { folderSink } from '../../adapters/delivery/folder-sink.js';
import { mailboxPoller, type MailboxPollerOptions, type PollSummary } from '../../adapters/delivery/mailbox-poller.js';
import { webhookSink } from '../../adapters/delivery/webhook-sink.js';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { client, PASSWORDS, startCpisHub } from '../support/cpis.js';
import { memoryLogger, type TestHub } from '../support/hub.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { sleep, until } from '../support/wait.js';

const WORKFLOW = 'CPIS_ACCESS_NOTIFICATION';
const RETRY = { baseDelay: 100, maxDelay: 400 };

type LogLine = Record<string, unknown>;


let hub: TestHub;
let root: string;
beforeEach(async () => {
  hub = await startCpisHub();
  root = await mkdtemp(join(tmpdir(), 'mailbox-poller-'));
});
afterEach(async () => {
  await hub.stop();
  await rm(root, { recursive: true, force: true });
});

/** Sends `count` notifications from the hub into LA706CSC's inbox; returns their message ids. */
async function sendNotifications(count: number, prefix = 'n'): Promise<string[]> {
  const hubClient = client(hub, 'X26HUB');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await hubClient.send({ to: 'LA706CSC', workflowId: WORKFLOW, localId: `${prefix}-${i}`, body: body(`${prefix}-${i}`), contentType: 'application/xml' }));
  }
  return ids;
}

const body = (localId: string) => `<notification localId="${localId}">SECRET-BODY</notification>`;

async function inbox(mesh: MeshClient = client(hub, 'LA706CSC')): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of mesh.inboxIds()) ids.push(id);
  return ids.sort();
}

function poller(options: Partial<MailboxPollerOptions> & Pick<MailboxPollerOptions, 'route'>, lines: LogLine[] = []) {
  return mailboxPoller({ client: client(hub, 'LA706CSC'), intervalMs: 50, retry: RETRY, log: memoryLogger(lines), ...options });
}

const summaries = (lines: LogLine[]) => lines.filter((l) => l.message === 'poll') as unknown as PollSummary[];

describe('mailbox poller', () => {
  test('delivers a multi-page inbox to the folder, each message once, and acknowledges each', async () => {
    const ids = await sendNotifications(25);
    const lines: LogLine[] = [];
    const sink = folderSink({ folder: root });
    const summary = await poller({ route: () => sink, pageSize: 10 }, lines).pollOnce();

    expect(summary).toMatchObject({ inbox: 25, delivered: 25, failed: 0, waiting: 0, unrouted: 0 });
    expect(await inbox()).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(ids.map((id) => `${id}.xml`).sort());
    expect(await readFile(join(root, `${ids[7]}.xml`), 'utf8')).toBe(body('n-7'));

    const delivered = lines.filter((l) => l.outcome === 'delivered');
    expect(delivered.map((l) => l.messageId).sort()).toEqual([...ids].sort());
    expect(delivered[0]).toMatchObject({ workflowId: WORKFLOW, sink: 'folder', messageType: 'DATA' });
    expect(summaries(lines)).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('SECRET-BODY');
  });

  test('a webhook answering 500 for a while: nothing acknowledged until it answers 2xx, then every message is', async () => {
    const ids = await sendNotifications(4);
    const receiver = await startWebhookReceiver('fail');
    const sink = webhookSink({ url: receiver.url, timeoutMs: 2_000 });
    const lines: LogLine[] = [];
    const polls: PollSummary[] = [];
    const running = poller({ route: () => sink, onPoll: (s) => polls.push(s) }, lines);
    try {
      await running.start();
      const seen = (status: number) => new Set(receiver.requests.filter((r) => r.status === status).map((r) => r.headers['x-mesh-message-id']));
      await until(() => (ids.every((id) => seen(500).has(id)) && polls.some((s) => s.waiting > 0) ? true : undefined));
      expect(await inbox()).toEqual([...ids].sort());

      receiver.mode = 'ok';
      await until(async () => ((await inbox()).length === 0 ? true : undefined));
      expect([...seen(200)].sort()).toEqual([...ids].sort());
      expect(lines.filter((l) => l.outcome === 'failed' && l.code === 'SINK_FAILED').length).toBeGreaterThanOrEqual(4);
      // The 2xx requests carry the MESH ids the receiver drops repeats by.
      const firstOk = receiver.requests.find((r) => r.status === 200)!;
      expect(firstOk.headers).toMatchObject({ 'x-mesh-workflow-id': WORKFLOW, 'x-mesh-from': 'X26HUB', 'content-type': 'application/xml' });
    } finally {
      await running.stop();
      await receiver.close();
    }
  });

  test('a hanging webhook times out: SINK_TIMEOUT and nothing acknowledged', async () => {
    const ids = await sendNotifications(2);
    const receiver = await startWebhookReceiver('hang');
    const lines: LogLine[] = [];
    try {
      const sink = webhookSink({ url: receiver.url, timeoutMs: 150 });
      const summary = await poller({ route: () => sink }, lines).pollOnce();
      expect(summary).toMatchObject({ inbox: 2, delivered: 0, failed: 2 });
      expect(lines.filter((l) => l.outcome === 'failed').map((l) => l.code)).toEqual(['SINK_TIMEOUT', 'SINK_TIMEOUT']);
      expect(await inbox()).toEqual([...ids].sort());
    } finally {
      await receiver.close();
    }
  });

  test('a missing folder: the message backs off on its own, others flow, and it is delivered once the folder exists', async () => {
    await sendNotifications(3, 'ok');
    const [late] = await sendNotifications(1, 'late');
    const missing = join(root, 'later');
    const good = folderSink({ folder: root });
    const bad = folderSink({ folder: missing });
    const lines: LogLine[] = [];
    const polls = poller({ route: (h) => (h.localId?.startsWith('late') ? bad : good) }, lines);

    expect(await polls.pollOnce()).toMatchObject({ inbox: 4, delivered: 3, failed: 1 });
    const failure = lines.find((l) => l.outcome === 'failed')!;
    expect(failure).toMatchObject({ messageId: late, code: 'SINK_FAILED', attempts: 1, sink: 'folder' });
    expect(failure.error).toContain(missing);
    expect(await inbox()).toEqual([late]);
    // Right after the failure it is backing off, not retried.
    expect(await polls.pollOnce()).toMatchObject({ inbox: 1, delivered: 0, failed: 0, waiting: 1 });

    await mkdir(missing);
    await until(async () => ((await polls.pollOnce()).delivered === 1 ? true : undefined));
    expect(await readdir(missing)).toEqual([`${late}.xml`]);
    expect(await inbox()).toEqual([]);
  });

  test('an unroutable AMQP message is not acknowledged', async () => {
    const [id] = await sendNotifications(1);
    const exchange = `cpisx-poller-test-${process.pid}-${Date.now()}`;
    const sink = amqpSink({ url: 'amqp://guest:guest@127.0.0.1:5672', exchange, declareExchange: { type: 'direct' } });
    const lines: LogLine[] = [];
    try {
      expect(await poller({ route: () => sink }, lines).pollOnce()).toMatchObject({ delivered: 0, failed: 1 });
      expect(lines.find((l) => l.outcome === 'failed')).toMatchObject({ messageId: id, code: 'SINK_UNROUTABLE', sink: 'amqp' });
      expect(await inbox()).toEqual([id]);
    } finally {
      await sink.close();
      const admin = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
      await (await admin.createChannel()).deleteExchange(exchange);
      await admin.close();
    }
  });

  test('a message no sink takes stays in the inbox, logged once, and does not hold up the others', async () => {
    const [id] = await sendNotifications(1);
    await client(hub, 'X26HUB').send({ to: 'LA706CSC', workflowId: 'CPIS_PLAN_UPDATE_ACK', localId: 'ack-1', body: '<ack/>' });
    const sink = folderSink({ folder: root });
    const lines: LogLine[] = [];
    const polls = poller({ route: (h) => (h.workflowId === WORKFLOW ? sink : undefined) }, lines);

    expect(await polls.pollOnce()).toMatchObject({ inbox: 2, delivered: 1, unrouted: 1 });
    expect(await polls.pollOnce()).toMatchObject({ inbox: 1, delivered: 0, unrouted: 1 });
    const unrouted = lines.filter((l) => l.outcome === 'unrouted');
    expect(unrouted).toHaveLength(1);
    expect(unrouted[0]).toMatchObject({ workflowId: 'CPIS_PLAN_UPDATE_ACK' });
    expect(await readdir(root)).toEqual([`${id}.xml`]);
    expect(await inbox()).toHaveLength(1);
  });

  test('the hub going down during a poll: the poller survives, and delivers everything once it is back', async () => {
    const ids = await sendNotifications(3);
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(hub.url).port) });
    const folder = folderSink({ folder: root });
    // The hub goes away right after the first delivery, before its acknowledgement.
    let delivered = 0;
    const sink: Sink = { kind: 'folder', close: async () => {}, async deliver(m: Delivery) {
      await folder.deliver(m);
      if (++delivered === 1) await proxy.down();
    } };
    const mesh = new MeshClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, mailboxId: 'LA706CSC', password: PASSWORDS.LA706CSC, sharedKey: 'TestKey', retry: { attempts: 1 } });
    const lines: LogLine[] = [];
    const polls: PollSummary[] = [];
    const running = poller({ client: mesh, route: () => sink, onPoll: (s) => polls.push(s) }, lines);
    try {
      await running.start();
      await until(() => (polls.filter((s) => s.meshError === 'NETWORK').length >= 3 ? true : undefined));
      // An outage is one line when it starts, not one a poll.
      expect(lines.filter((l) => l.message === 'poll cut short; the next poll tries again' && l.code === 'NETWORK')).toHaveLength(1);
      expect(await inbox()).toEqual([...ids].sort());
      expect(lines.find((l) => l.outcome === 'unacknowledged')).toBeDefined();

      await proxy.up();
      await until(async () => ((await inbox()).length === 0 ? true : undefined));
      expect(lines.filter((l) => l.message === 'the hub answers polls again')).toHaveLength(1);
      expect((await readdir(root)).sort()).toEqual(ids.map((id) => `${id}.xml`).sort());
      expect(delivered).toBe(4);
    } finally {
      await running.stop();
      await proxy.close();
    }
  });

  test('polls never overlap, and stop waits for the poll in progress, which ends after its current message', async () => {
    await sendNotifications(3);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const taken: string[] = [];
    const sink: Sink = { kind: 'gated', close: async () => {}, async deliver(m: Delivery) {
      taken.push(m.id);
      await gate;
    } };
    const polls = poller({ route: () => sink });
    const first = polls.pollOnce();
    expect(polls.pollOnce()).toBe(first);
    await until(() => (taken.length === 1 ? true : undefined));

    let stopped = false;
    const stopping = polls.stop().then(() => { stopped = true; });
    await sleep(100);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await first).toMatchObject({ inbox: 3, delivered: 1 });
    expect(taken).toHaveLength(1);
    expect(await inbox()).toHaveLength(2);
  });
});

describe('delivery ledger', () => {
  const settings = { baseDelay: 100, maxDelay: 350 };

  test('the wait grows with each failure of a message, up to the cap', () => {
    const ledger = new DeliveryLedger(settings, () => 1);
    expect([1, 2, 3, 4].map(() => ledger.failed('m', 0).delayMs)).toEqual([100, 200, 350, 350]);
    expect(ledger.failed('other', 0)).toEqual({ attempts: 1, delayMs: 100 });
  });

  test('a failed message waits until its time, then is due again; delivery clears it', () => {
    const ledger = new DeliveryLedger(settings, () => 1);
    ledger.failed('m', 1_000);
    expect(ledger.standing('m', 1_099)).toBe('waiting');
    expect(ledger.standing('m', 1_100)).toBe('due');
    ledger.delivered('m');
    expect(ledger.failed('m', 0).attempts).toBe(1);
  });

  test('messages that left the inbox are forgotten', () => {
    const ledger = new DeliveryLedger(settings, () => 1);
    ledger.failed('gone', 0);
    ledger.unrouted('kept');
    ledger.keepOnly(['kept']);
    expect(ledger.standing('gone', 0)).toBe('due');
    expect(ledger.standing('kept', 0)).toBe('unrouted');
  });
});
