import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../scripts/spawn-ready.js';
import { adapterSite, startAdapter } from '../support/adapter-process.js';
import { attendanceXml, NHS, startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { sleep, waitFor } from '../support/worker-processes.js';

/** What an adapter process does at start and while the hub is away: the lines an operator reads at 3 a.m. */
let hub: TestHub;

beforeAll(async () => {
  hub = await startCpisHub();
});

afterAll(async () => {
  await hub?.stop();
});

test('wrong MESH credentials stop the adapter at start with one line and exit 1', async () => {
  const site = adapterSite('la', hub.url, (c) => { c.mesh.password = 'not-the-password'; delete c.planUploads; });
  const err = await startAdapter(site).then(() => undefined, (e: Error) => e);
  expect(err?.message).toContain('exited 1');
  const line = err!.message.split('\n').find((l) => l.startsWith('cpisx la-adapter:'));
  expect(line).toContain(`refused mailbox LA706CSC's credentials`);
  expect(line).not.toContain('not-the-password');
}, 60_000);

test('on a fresh install the adapter creates the folders its configuration names, one log line each', async () => {
  const site = adapterSite('pas', hub.url, (c) => { c.sources.hl7.mllp.port = 0; });
  const adapter = await startAdapter(site);
  try {
    const created = adapter.output().split('\n').filter((l) => l.includes('"folder created"')).map((l) => (JSON.parse(l) as { folder: string }).folder);
    const drops = ['var/pas/attendances', 'var/pas/hl7'].flatMap((f) => [f, `${f}/sent`, `${f}/rejected`, `${f}/skipped`]);
    expect(created.sort()).toEqual([...drops, 'var/pas/responses'].sort());
    for (const folder of created) expect(existsSync(join(site.dir, folder))).toBe(true);
  } finally {
    expect(await adapter.stop()).toBe(0);
  }
}, 60_000);

test('a folder that cannot be created stops the adapter at start with one line naming it', async () => {
  const site = adapterSite('la', hub.url, (c) => { c.sink = { folder: { path: 'taken/notifications' } }; delete c.planUploads; });
  writeFileSync(join(site.dir, 'taken'), 'a file where a folder should be');
  const err = await startAdapter(site).then(() => undefined, (e: Error) => e);
  expect(err?.message).toContain('exited 1');
  expect(err!.message.split('\n').filter((l) => l.startsWith('cpisx la-adapter:'))).toEqual(['cpisx la-adapter: cannot create the folder taken/notifications: ENOTDIR']);
}, 60_000);

test('an unreachable hub is one clear line; the adapter keeps running and files wait', async () => {
  const port = await freePort();
  const site = adapterSite('pas', `http://127.0.0.1:${port}`, (c) => {
    c.sources = { folder: { path: 'attendances', settle: 0.1, poll: 0.1 } };
    c.responses = { poll: 0.5, sink: { folder: { path: 'responses' } } };
  });
  const drop = site.folder('attendances');
  const adapter = await startAdapter(site);
  try {
    expect(adapter.output()).toContain('hub unreachable at start; will keep trying');
    writeFileSync(join(drop, 'a1.xml'), attendanceXml(NHS[0], 'A1'));
    await sleep(2000);
    expect(adapter.child.exitCode).toBeNull();
    expect(readdirSync(drop)).toContain('a1.xml');
    expect(existsSync(join(drop, 'rejected', 'a1.xml'))).toBe(false);
  } finally {
    expect(await adapter.stop()).toBe(0);
  }
}, 60_000);

test('a hub answering 503: files wait and are retried, never rejected, and go once it answers again', async () => {
  let healthy = false;
  const front = await forward(hub.url, () => healthy);
  const site = adapterSite('pas', front.url, (c) => {
    c.sources = { folder: { path: 'attendances', settle: 0.1, poll: 0.1 } };
    c.responses = { poll: 0.5, sink: { folder: { path: 'responses' } } };
  });
  const drop = site.folder('attendances');
  const adapter = await startAdapter(site);
  try {
    writeFileSync(join(drop, 'a2.xml'), attendanceXml(NHS[1], 'A2'));
    await waitFor(async () => front.refused >= 3, 20_000, () => `${front.refused} requests refused`);
    expect(readdirSync(drop)).toContain('a2.xml');
    expect(existsSync(join(drop, 'rejected', 'a2.xml'))).toBe(false);
    healthy = true;
    await waitFor(async () => existsSync(join(drop, 'sent', 'a2.xml')), 20_000, () => readdirSync(drop).join());
    await waitFor(async () => existsSync(join(site.dir, 'responses')) && readdirSync(join(site.dir, 'responses')).length === 1, 20_000, () => 'no flag response');
  } finally {
    expect(await adapter.stop()).toBe(0);
    await new Promise((r) => front.server.close(r));
  }
}, 60_000);

/** A front for the hub that answers 503 (as a proxy in front of a struggling hub would) until `healthy()`. */
async function forward(target: string, healthy: () => boolean): Promise<{ url: string; server: Server; refused: number }> {
  const state = { url: '', server: undefined as unknown as Server, refused: 0 };
  state.server = createServer(async (req, res) => {
    const body: Buffer[] = [];
    for await (const part of req) body.push(part as Buffer);
    if (!healthy()) {
      state.refused++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":[{"event":"","code":"","msg":"service unavailable"}]}');
      return;
    }
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection').map(([k, v]) => [k, String(v)])),
      body: body.length ? Buffer.concat(body) : undefined,
    });
    res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => state.server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}
