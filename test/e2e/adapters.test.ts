import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type ConfirmChannel } from 'amqplib';
import type { MeshClient } from '../../adapters/mesh-client/index.js';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import type { ReadyProcess } from '../../scripts/spawn-ready.js';
import { adapterSite, attendanceIds, drop, folderSites, startAdapter, xmlFiles } from '../support/adapter-process.js';
import { attendanceXml, SAMPLE_CONFIG } from '../support/cpis.js';
import { deleteKeys } from '../support/hub.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { startPrivateRabbit, type PrivateRabbit } from '../support/rabbitmq.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { loadPlans, meshClient, nhsNumbers, sleep, waitFor } from '../support/worker-processes.js';

/**
 * The hub, the PAS adapter and the LA adapter as real processes, with real Redis,
 * RabbitMQ, folders and a webhook: crashes and outages on the way lose nothing, and
 * the folder sinks never hold a message twice.
 */
const prefix = `test:e2e:${randomUUID().slice(0, 8)}:`;
const children = nhsNumbers(200);
let hub: HubProcess;
let la: MeshClient;
const running = new Set<ReadyProcess>();

beforeAll(async () => {
  hub = await spawnHub(SAMPLE_CONFIG, { REDIS_KEY_PREFIX: prefix });
  la = meshClient(hub.url, 'LA706CSC');
  await loadPlans(hub.url, children, 0);
}, 60_000);

afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  await hub?.stop();
  await deleteKeys(`${prefix}*`);
});

async function start(site: ReturnType<typeof adapterSite>): Promise<ReadyProcess> {
  const p = await startAdapter(site);
  running.add(p);
  return p;
}

async function stop(p: ReadyProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  running.delete(p);
  return p.stop(signal);
}

/** Kills the adapter, then counts what waits for it once work has piled up (up to 10 s: a busy machine is slow to send more). */
async function kill(p: ReadyProcess, waiting: () => Promise<number>, counts: number[]): Promise<void> {
  await stop(p, 'SIGKILL');
  await sleep(500);
  const deadline = Date.now() + 10_000;
  let count = await waiting();
  while (count === 0 && Date.now() < deadline) {
    await sleep(100);
    count = await waiting();
  }
  counts.push(count);
}

const distinct = (ids: string[]) => new Set(ids).size;

test('PAS and LA adapters killed mid-stream lose nothing and deliver nothing twice', async () => {
  const { pas: pasSite, la: laSite, drops: dropFolder, responses, notifications } = folderSites(hub.url);
  let pas = start(pasSite);
  let laAdapter = start(laSite);
  await Promise.all([pas, laAdapter]);
  const stream = children.slice(0, 90);
  const ids = stream.map((_, i) => `KILL-${i}`);
  const unsentAtKill: number[] = [];
  const undeliveredAtKill: number[] = [];
  for (let i = 0; i < stream.length; i++) {
    drop(dropFolder, `${ids[i]}.xml`, attendanceXml(stream[i], ids[i]));
    await sleep(100);
    // Restarts run while files keep arriving: the stream does not wait for them.
    // Half a second after each kill, what the dead adapter left waiting is counted. The LA's
    // kill comes while the PAS adapter is back from its first, so attendances are flowing.
    if (i === 10 || i === 75) pas = pas.then((p) => kill(p, async () => xmlFiles(dropFolder).length, unsentAtKill)).then(() => start(pasSite));
    if (i === 50) laAdapter = laAdapter.then((p) => kill(p, () => la.count(), undeliveredAtKill)).then(() => start(laSite));
  }
  const describe = () => `responses ${xmlFiles(responses).length}, notifications ${xmlFiles(notifications).length}, waiting ${xmlFiles(dropFolder).length}`;
  await waitFor(async () => xmlFiles(responses).length >= ids.length && xmlFiles(notifications).length >= ids.length, 120_000, describe, 500);

  // The kills really came mid-stream: work was waiting in the folder and in the LA's inbox.
  expect(Math.min(...unsentAtKill)).toBeGreaterThan(0);
  expect(undeliveredAtKill[0]).toBeGreaterThan(0);
  expect(xmlFiles(dropFolder)).toEqual([]);
  expect(readdirSync(join(dropFolder, 'rejected'))).toEqual([]);
  expect(xmlFiles(join(dropFolder, 'sent')).sort()).toEqual(ids.map((id) => `${id}.xml`).sort());
  for (const [folder, kind] of [[responses, 'flag'], [notifications, 'notification']] as const) {
    const got = attendanceIds(folder, kind);
    expect(got).toHaveLength(ids.length);
    expect(distinct(got)).toBe(ids.length);
    expect(new Set(got)).toEqual(new Set(ids));
  }
  expect(await stop(await pas)).toBe(0);
  expect(await stop(await laAdapter)).toBe(0);
  expect(await la.count()).toBe(0);
}, 240_000);

test('RabbitMQ stopped and started mid-stream: every attendance reaches the hub once, every notification reaches the LA', async () => {
  const rabbit: PrivateRabbit = await startPrivateRabbit();
  try {
    const queue = 'pas.attendances';
    const pasSite = adapterSite('pas', hub.url, (c) => {
      c.sources = { amqp: { url: rabbit.url, queue, prefetch: 5, maxAttempts: 50 } };
      c.responses = { poll: 0.3, sink: { folder: { path: 'responses' } } };
    });
    const laSite = adapterSite('la', hub.url, (c) => {
      c.poll = 0.3;
      c.sink = { amqp: { url: rabbit.url, exchange: 'la.notifications' } };
      delete c.planUploads;
    });
    const responses = pasSite.folder('responses');
    await withChannel(rabbit.url, async (ch) => {
      await ch.assertExchange('la.notifications', 'fanout', { durable: true });
      await ch.assertQueue('la.received', { durable: true });
      await ch.bindQueue('la.received', 'la.notifications', '');
    });
    const adapters = await Promise.all([start(pasSite), start(laSite)]);
    const stream = children.slice(90, 150);
    const ids = stream.map((_, i) => `AMQP-${i}`);
    const publish = (from: number, to: number) => withChannel(rabbit.url, async (ch) => {
      for (let i = from; i < to; i++) ch.sendToQueue(queue, Buffer.from(attendanceXml(stream[i], ids[i])), { persistent: true, messageId: ids[i] });
      await ch.waitForConfirms();
    });
    await publish(0, 30);
    await waitFor(async () => xmlFiles(responses).length >= 5, 60_000, () => `${xmlFiles(responses).length} responses`);
    await rabbit.stop();
    await sleep(2000);
    await rabbit.start();
    await publish(30, stream.length);

    await waitFor(async () => xmlFiles(responses).length >= ids.length, 120_000, () => `${xmlFiles(responses).length} responses`, 500);
    const flags = attendanceIds(responses, 'flag');
    expect(flags).toHaveLength(ids.length);
    expect(new Set(flags)).toEqual(new Set(ids));
    await waitFor(async () => (await la.count()) === 0, 60_000, async () => `${await la.count()} left in the LA inbox`);
    const delivered = await withChannel(rabbit.url, (ch) => drainQueue(ch, 'la.received'));
    expect(new Set(delivered)).toEqual(new Set(ids));
    for (const p of adapters) expect(await stop(p)).toBe(0);
  } finally {
    await rabbit.teardown();
  }
}, 240_000);

test('an LA webhook failing, then hanging, then back: every notification is posted until it is taken', async () => {
  const receiver: WebhookReceiver = await startWebhookReceiver('fail');
  try {
    const laSite = adapterSite('la', hub.url, (c) => {
      c.poll = 0.3;
      c.sink = { webhook: { url: receiver.url, timeout: 1 } };
      delete c.planUploads;
    });
    const adapter = await start(laSite);
    const trust = meshClient(hub.url, 'RR8PAS');
    const stream = children.slice(150, 180);
    const sent = await Promise.all(stream.map((nhs, i) =>
      trust.send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', localId: `HOOK-${i}`, body: attendanceXml(nhs, `HOOK-${i}`) })));
    const expected = new Set(sent.map((id) => `${id}_N706`));
    await sleep(3000);
    receiver.mode = 'hang';
    await sleep(3000);
    const beforeRecovery = await la.count();
    receiver.mode = 'ok';
    const taken = () => new Set(receiver.requests.filter((r) => r.status === 200).map((r) => String(r.headers['x-mesh-message-id'])));
    await waitFor(async () => [...expected].every((id) => taken().has(id)), 90_000, () => `${taken().size} of ${expected.size} taken`, 500);
    await waitFor(async () => (await la.count()) === 0, 30_000, async () => `${await la.count()} left in the LA inbox`);

    expect(beforeRecovery).toBe(expected.size);
    expect(receiver.requests.some((r) => r.status === 500)).toBe(true);
    expect(receiver.requests.some((r) => r.status === undefined)).toBe(true);
    expect(new Set(receiver.requests.map((r) => String(r.headers['x-mesh-message-id'])))).toEqual(expected);
    expect(await stop(adapter)).toBe(0);
  } finally {
    await receiver.close();
  }
}, 240_000);

async function withChannel<T>(url: string, use: (ch: ConfirmChannel) => Promise<T>): Promise<T> {
  const connection = await connect(url);
  try {
    return await use(await connection.createConfirmChannel());
  } finally {
    await connection.close();
  }
}

/** Every message in the queue, as the attendance id in its body. */
async function drainQueue(ch: ConfirmChannel, queue: string): Promise<string[]> {
  const ids: string[] = [];
  for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) {
    const parsed = parseAccessNotification(m.content);
    if (!parsed.ok) throw new Error(`not a notification in ${queue}`);
    ids.push(parsed.value.attendanceId);
  }
  return ids;
}
