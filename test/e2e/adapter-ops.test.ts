import { chmodSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { freePort, type ReadyProcess } from '../../scripts/spawn-ready.js';
import { adapterSite, drop, startAdapter, type AdapterSettings } from '../support/adapter-process.js';
import { attendanceXml, NHS, startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { waitFor } from '../support/wait.js';

/**
 * An adapter as an operator's monitoring sees it: real adapter processes, a real hub,
 * real folders and RabbitMQ, asked over HTTP as a health check or Prometheus would.
 */
let hub: TestHub;
const running = new Set<ReadyProcess>();

beforeAll(async () => {
  hub = await startCpisHub();
});

afterEach(async () => {
  for (const p of running) await p.stop('SIGKILL');
  running.clear();
});

afterAll(async () => {
  await hub?.stop();
});

interface Watched {
  adapter: ReadyProcess;
  url: string;
}

/** An adapter with its ops server on a free port, given through ADAPTER_HEALTH_PORT as a container would. */
async function watched(
  kind: 'pas' | 'la', hubUrl: string, change: (c: AdapterSettings) => void, env: Record<string, string> = {},
): Promise<Watched & { dir: string; port: number }> {
  const port = await freePort();
  const site = adapterSite(kind, hubUrl, (c) => {
    c.mesh.timeout = 1;
    c.ops = { heartbeat: 1 };
    change(c);
  });
  const adapter = await startAdapter(site, { ADAPTER_HEALTH_PORT: String(port), ...env });
  running.add(adapter);
  return { adapter, url: `http://127.0.0.1:${port}`, dir: site.dir, port };
}

interface ReadyAnswer {
  status: number;
  body: { status: string; checks: { check: string; target?: string; ok: boolean; reason?: string }[] };
}

async function ready(url: string): Promise<ReadyAnswer> {
  const res = await fetch(`${url}/health/ready`);
  return { status: res.status, body: (await res.json()) as ReadyAnswer['body'] };
}

/** The value of one adapter metric, by its full name. */
async function metric(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

const failing = (answer: ReadyAnswer) => answer.body.checks.filter((c) => !c.ok);

/** The adapter's JSON log lines with this message, from its output so far. */
function logLines(output: string, message: string): Record<string, unknown>[] {
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === message);
}

const pasFolders = (c: AdapterSettings) => {
  c.sources = { folder: { path: 'attendances', settle: 0.1, poll: 0.1 } };
  c.responses = { poll: 0.3, sink: { folder: { path: 'responses' } } };
};

const METRICS = [
  'cpisx_adapter_sent_total', 'cpisx_adapter_delivered_total', 'cpisx_adapter_rejected_total', 'cpisx_adapter_retries_total',
  'cpisx_adapter_oldest_waiting_file_age_seconds', 'cpisx_adapter_last_successful_poll_timestamp_seconds', 'cpisx_adapter_ready',
];

test('a working PAS adapter: live, ready with each check named, and its counters move with a real send and delivery', async () => {
  const { adapter, url, dir } = await watched('pas', hub.url, pasFolders);
  expect(await (await fetch(`${url}/health/live`)).json()).toEqual({ status: 'live' });
  await waitFor(async () => (await ready(url)).status === 200, 20_000, () => 'the hub has not answered a poll');
  const answer = await ready(url);
  expect(answer.status).toBe(200);
  expect(answer.body.status).toBe('ready');
  expect(answer.body.checks.map((c) => `${c.check} ${c.target ?? ''}`.trim()).sort()).toEqual([
    'folder attendances', 'folder attendances/rejected', 'folder attendances/sent', 'folder attendances/skipped', 'folder responses', 'hub',
  ]);
  for (const name of METRICS) expect(await metric(url, name)).toBeDefined();
  expect(await (await fetch(`${url}/metrics`)).text()).toContain('cpisx_adapter_process_resident_memory_bytes');
  expect(await metric(url, 'cpisx_adapter_ready')).toBe(1);
  expect(await metric(url, 'cpisx_adapter_sent_total')).toBe(0);

  drop(join(dir, 'attendances'), 'ops-1.xml', attendanceXml(NHS[0], 'OPS-1'));
  drop(join(dir, 'attendances'), 'not-an-attendance.xml', '<planUpdate/>');
  drop(join(dir, 'attendances'), 'empty.xml', '');
  await waitFor(async () => readdirSync(join(dir, 'responses')).length === 1, 20_000, () => 'no flag response');
  await waitFor(async () => (await metric(url, 'cpisx_adapter_delivered_total')) === 1, 10_000, () => 'delivery not counted');
  expect(await metric(url, 'cpisx_adapter_sent_total')).toBe(1);
  const rejected = () => readdirSync(join(dir, 'attendances', 'rejected'));
  await waitFor(async () => rejected().includes('not-an-attendance.xml') && rejected().includes('empty.xml'), 10_000, () => rejected().join());
  expect(await metric(url, 'cpisx_adapter_rejected_total')).toBe(2);
  expect(await metric(url, 'cpisx_adapter_oldest_waiting_file_age_seconds')).toBe(0);
  expect(adapter.output()).toContain('"ops server listening"');
}, 60_000);

test('ADAPTER_HEALTH_HOST opens the ops server to a scraper on another host (as Prometheus in compose); loopback only without it', async () => {
  const outside = Object.values(networkInterfaces()).flat().find((a) => a && !a.internal && a.family === 'IPv4')?.address;
  if (!outside) {
    process.stdout.write('SKIPPED: this machine has no IPv4 address besides loopback\n');
    return;
  }
  const live = (port: number) => fetch(`http://${outside}:${port}/health/live`).then((r) => r.status, (e: Error) => (e.cause as { code?: string })?.code ?? e.message);
  const opened = await watched('la', hub.url, () => {}, { ADAPTER_HEALTH_HOST: '0.0.0.0' });
  expect(await live(opened.port)).toBe(200);
  const loopback = await watched('la', hub.url, () => {});
  expect(await (await fetch(`${loopback.url}/health/live`)).json()).toEqual({ status: 'live' });
  expect(await live(loopback.port)).toBe('ECONNREFUSED');
}, 30_000);

test('idle polls are not logged; a heartbeat at the configured interval counts them', async () => {
  const { adapter } = await watched('la', hub.url, (c) => {
    c.poll = 0.2;
    c.sink = { folder: { path: 'notifications' } };
    delete c.planUploads;
  });
  // Two heartbeats after start: at least a second of polls every 0.2 s with nothing in the inbox.
  await waitFor(async () => logLines(adapter.output(), 'heartbeat').length >= 2, 20_000, () => adapter.output());
  const beat = logLines(adapter.output(), 'heartbeat')[1];
  expect(beat).toMatchObject({ delivered: 0, sent: 0, failedPolls: 0, intervalMs: 1000 });
  expect(beat.polls).toBeGreaterThanOrEqual(2);
  expect(logLines(adapter.output(), 'poll')).toEqual([]);
}, 60_000);

test('a hub that never answers: not ready, naming the hub, and a dropped file shows as waiting', async () => {
  const dead = `http://127.0.0.1:${await freePort()}`;
  const starting = Math.floor(Date.now() / 1000);
  const { url, dir } = await watched('pas', dead, pasFolders);
  const answer = await ready(url);
  expect(answer.status).toBe(503);
  expect(answer.body.status).toBe('not ready');
  expect(failing(answer)).toEqual([{ check: 'hub', ok: false, reason: 'the hub has not answered since the adapter started' }]);
  expect(await metric(url, 'cpisx_adapter_ready')).toBe(0);
  // Never polled: since the process started (so the alert reads minutes, not decades).
  expect(await metric(url, 'cpisx_adapter_last_successful_poll_timestamp_seconds')).toBeGreaterThanOrEqual(starting);
  expect(await metric(url, 'cpisx_adapter_last_successful_poll_timestamp_seconds')).toBeLessThanOrEqual(Date.now() / 1000);

  writeFileSync(join(dir, 'attendances', 'waiting.xml'), attendanceXml(NHS[1], 'OPS-2'));
  await waitFor(async () => (await metric(url, 'cpisx_adapter_retries_total'))! > 0, 20_000, () => 'no retry counted');
  expect(await metric(url, 'cpisx_adapter_oldest_waiting_file_age_seconds')).toBeGreaterThan(0);
  expect(await metric(url, 'cpisx_adapter_sent_total')).toBe(0);
}, 60_000);

test('the hub stopping makes a ready adapter not ready', async () => {
  const ownHub = await startCpisHub();
  try {
    const { url } = await watched('la', ownHub.url, (c) => {
      c.poll = 0.3;
      c.sink = { folder: { path: 'notifications' } };
      delete c.planUploads;
    });
    await waitFor(async () => (await ready(url)).status === 200, 20_000, () => 'never ready');
    await ownHub.stop();
    await waitFor(async () => (await ready(url)).status === 503, 20_000, async () => JSON.stringify((await ready(url)).body));
    const [hubCheck] = failing(await ready(url));
    expect(hubCheck.check).toBe('hub');
    expect(hubCheck.reason).toMatch(/^no answer from the hub for \d+ s \(allowed \d+ s\)$/);
  } finally {
    await ownHub.stop().catch(() => undefined);
  }
}, 60_000);

test('a sink folder that can no longer be written: not ready, naming the folder and why', async () => {
  const { url, dir } = await watched('la', hub.url, (c) => {
    c.poll = 0.3;
    c.sink = { folder: { path: 'notifications' } };
    delete c.planUploads;
  });
  await waitFor(async () => (await ready(url)).status === 200, 20_000, () => 'never ready');
  // A path that is now a file fails a write whoever the adapter runs as, root included.
  rmSync(join(dir, 'notifications'), { recursive: true });
  writeFileSync(join(dir, 'notifications'), 'a file where the folder was');
  const answer = await ready(url);
  expect(answer.status).toBe(503);
  expect(failing(answer)).toEqual([{ check: 'folder', target: 'notifications', ok: false, reason: 'cannot write into it (ENOTDIR)' }]);
}, 60_000);

test('a folder without write permission: not ready (as a non-root user, for whom permissions bind)', async () => {
  if (process.getuid?.() === 0) {
    console.log('SKIPPED: running as root, for whom a folder without write permission is still writable; the test above covers an unwritable folder');
    return;
  }
  const { url, dir } = await watched('pas', hub.url, pasFolders);
  await waitFor(async () => (await ready(url)).status === 200, 20_000, () => 'never ready');
  chmodSync(join(dir, 'responses'), 0o500);
  try {
    const answer = await ready(url);
    expect(answer.status).toBe(503);
    expect(failing(answer)).toEqual([{ check: 'folder', target: 'responses', ok: false, reason: 'cannot write into it (EACCES)' }]);
  } finally {
    chmodSync(join(dir, 'responses'), 0o700);
  }
}, 60_000);

test('the broker: ready with a connected AMQP sink, not ready naming it when RabbitMQ cannot be reached', async () => {
  const sinkAt = (url: string) => (c: AdapterSettings) => {
    c.poll = 0.3;
    c.sink = { amqp: { url, exchange: 'amq.fanout' } };
    delete c.planUploads;
  };
  const up = await watched('la', hub.url, sinkAt('amqp://guest:guest@127.0.0.1:5672'));
  await waitFor(async () => (await ready(up.url)).status === 200, 20_000, async () => JSON.stringify((await ready(up.url)).body));
  expect((await ready(up.url)).body.checks).toContainEqual({ check: 'broker', target: '127.0.0.1:5672', ok: true });

  const port = await freePort();
  const down = await watched('la', hub.url, sinkAt(`amqp://guest:guest@127.0.0.1:${port}`));
  await waitFor(async () => (await metric(down.url, 'cpisx_adapter_last_successful_poll_timestamp_seconds'))! > 0, 20_000, () => 'no successful poll');
  const answer = await ready(down.url);
  expect(answer.status).toBe(503);
  expect(failing(answer)).toEqual([{ check: 'broker', target: `127.0.0.1:${port}`, ok: false, reason: 'no connection to RabbitMQ (sink)' }]);
}, 60_000);
