import { copyFile, mkdtemp, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDocument } from '../../adapters/core/document.js';
import { adapterError, AdapterFailure } from '../../adapters/core/errors.js';
import { meshSender, type Prepare, type Sender } from '../../adapters/core/sender.js';
import { prepareHl7 } from '../../adapters/hl7/prepare-hl7.js';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { findSentFile, folderSource, sidecarPath, type FolderSourceOptions } from '../../adapters/sources/folder-source.js';
import { fileLocalId, messageLocalId } from '../../adapters/sources/local-id.js';
import { SettleTracker, isCandidate } from '../../adapters/sources/settled-files.js';
import { attendanceXml, client, collect, LA706, NHS, PASSWORDS, planFile, planRecord, SAMPLE_CONFIG, startCpisHub } from '../support/cpis.js';
import { memoryLogger, startTestHub, type TestHub } from '../support/hub.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { sleep, waitFor } from '../support/worker-processes.js';

const attendance: Prepare = (body) => {
  const error = checkDocument('attendance', body);
  return error ? { ok: false, error } : { ok: true, body };
};

/** The hub's MESH side only (no CP-IS workers), so what the source sent stays in X26HUB's inbox. */
const mailboxHub = () => startTestHub({ cpis: undefined }, { file: SAMPLE_CONFIG });
const trustSender = (mesh: MeshClient, workflowId = 'CPIS_ATTENDANCE'): Sender => meshSender(mesh, { to: 'X26HUB', workflowId });

let folder: string;
let lines: Record<string, unknown>[];
let stops: (() => Promise<void>)[];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'folder-source-'));
  lines = [];
  stops = [];
});
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  await rm(folder, { recursive: true, force: true });
});

async function hub(start: () => Promise<TestHub> = mailboxHub): Promise<TestHub> {
  const h = await start();
  stops.push(() => h.stop());
  return h;
}

async function watch(send: Sender, options: Partial<FolderSourceOptions> = {}) {
  const source = folderSource({
    folder, extensions: ['.xml'], settleMs: 300, pollMs: 50, prepare: attendance, send,
    retry: { baseDelay: 50, maxDelay: 200 }, log: memoryLogger(lines), ...options,
  });
  await source.start();
  stops.push(() => source.stop());
  return source;
}

const inFolder = async (...sub: string[]) => (await readdir(join(folder, ...sub), { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
const arrived = (sub: string, name: string) => waitFor(async () => (await inFolder(sub)).includes(name), 10_000, async () => `no ${sub}/${name}; folder has ${await inFolder()}`, 50);
const messageIdOf = async (name: string) => (await readFile(join(folder, 'sent', `${name}.message-id`), 'utf8'));

async function inbox(mesh: MeshClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of mesh.inboxIds()) ids.push(id);
  return ids;
}

test('a file over the size limit is rejected as TOO_LARGE without being read or sent', async () => {
  let sends = 0;
  const count: Sender = async () => { sends++; return { ok: true, messageId: 'never' }; };
  await watch(count, { maxBytes: 1000 });
  await writeFile(join(folder, 'huge.xml'), Buffer.alloc(2000, 'x'));

  await arrived('rejected', 'huge.xml');
  expect(await readFile(join(folder, 'rejected', 'huge.xml.error.txt'), 'utf8')).toMatch(/^TOO_LARGE: the file is 2000 bytes, more than the 1000/);
  expect(sends).toBe(0);
});

test('a dropped HL7 event that is not an attendance moves to skipped/ with the reason, and nothing is sent', async () => {
  const a08 = await readFile('test/fixtures/hl7/a08-update.hl7');
  let sends = 0;
  const count: Sender = async () => { sends++; return { ok: true, messageId: 'never' }; };
  await watch(count, { extensions: ['.hl7'], prepare: prepareHl7({}) });
  await writeFile(join(folder, 'adt-8.hl7'), a08);

  await arrived('skipped', 'adt-8.hl7');
  expect(await readFile(join(folder, 'skipped', 'adt-8.hl7.reason.txt'), 'utf8')).toContain('A08');
  expect(await inFolder('rejected')).toEqual([]);
  expect(sends).toBe(0);
  expect(lines).toContainEqual(expect.objectContaining({ message: 'file skipped', file: 'adt-8.hl7' }));
});

test('a valid attendance goes to the hub; the file moves to sent/ beside its message id', async () => {
  const h = await hub();
  const xml = attendanceXml(NHS[0], 'ATT-F1');
  await watch(trustSender(client(h, 'RR8PAS')));
  await writeFile(join(folder, 'att-1.xml'), xml);

  await arrived('sent', 'att-1.xml');
  const messageId = await messageIdOf('att-1.xml');
  expect(messageId).toMatch(/^\S+\n$/);
  const message = await client(h, 'X26HUB').download(messageId.trim());
  expect(message.body.toString()).toBe(xml);
  expect(message.headers).toMatchObject({ workflowId: 'CPIS_ATTENDANCE', fileName: 'att-1.xml', localId: fileLocalId('att-1.xml', Buffer.from(xml)) });
  expect(await inFolder()).toEqual([]);

  expect(await findSentFile(folder, messageId.trim())).toBe(join(folder, 'sent', 'att-1.xml'));
  expect(await findSentFile(folder, 'no-such-id')).toBeUndefined();
  expect(sidecarPath(join(folder, 'sent', 'att-1.xml'), '.ack.xml')).toBe(join(folder, 'sent', 'att-1.xml.ack.xml'));

  expect(lines).toContainEqual(expect.objectContaining({ message: 'file sent', file: 'att-1.xml', messageId: messageId.trim() }));
  expect(lines).toContainEqual(expect.objectContaining({ message: 'folder scan', sent: 1, rejected: 0, waiting: 0 }));
  expect(JSON.stringify(lines)).not.toContain(NHS[0]);
});

test('with the CP-IS workers running, the trust gets the flag response to the file it dropped', async () => {
  const h = await hub(() => startCpisHub());
  await watch(trustSender(client(h, 'RR8PAS')));
  await writeFile(join(folder, 'att-2.xml'), attendanceXml(NHS[2], 'ATT-F2'));

  await arrived('sent', 'att-2.xml');
  const [flag] = await collect(client(h, 'RR8PAS'), 1);
  expect(flag.headers).toMatchObject({ workflowId: 'CPIS_ATTENDANCE_RESPONSE', linkedMsgId: (await messageIdOf('att-2.xml')).trim() });
});

test('a file written in pieces is sent only once it has settled, whole', async () => {
  const h = await hub();
  await watch(trustSender(client(h, 'RR8PAS')), { settleMs: 1000 });
  const xml = attendanceXml(NHS[1], 'ATT-SLOW');
  const file = await open(join(folder, 'slow.xml'), 'w');
  const piece = Math.ceil(xml.length / 8);
  for (let at = 0; at < xml.length; at += piece) {
    await file.write(xml.slice(at, at + piece));
    await sleep(100); // well inside settleMs: a taken half-file would be rejected as not well formed
  }
  await file.close();

  await arrived('sent', 'slow.xml');
  expect(await inFolder('rejected')).toEqual([]);
  const message = await client(h, 'X26HUB').download((await messageIdOf('slow.xml')).trim());
  expect(message.body.toString()).toBe(xml);
});

test('a file written under .tmp is left alone until it is renamed into place', async () => {
  const h = await hub();
  await watch(trustSender(client(h, 'RR8PAS')), { settleMs: 0 });
  await writeFile(join(folder, 'att-3.xml.tmp'), attendanceXml(NHS[0], 'ATT-TMP'));
  await writeFile(join(folder, '.att-4.xml'), attendanceXml(NHS[0], 'ATT-DOT'));
  await sleep(400);
  expect(await inFolder()).toEqual(['.att-4.xml', 'att-3.xml.tmp']);
  expect(await inbox(client(h, 'X26HUB'))).toEqual([]);

  await rename(join(folder, 'att-3.xml.tmp'), join(folder, 'att-3.xml'));
  await arrived('sent', 'att-3.xml');
  expect(await inFolder()).toEqual(['.att-4.xml']);
});

test.each([
  ['not well formed', '<Attendance><unclosed></Attendance>', 'NOT_WELL_FORMED'],
  ['not XML', 'MSH|^~\\&|PAS|RR8|not xml at all', 'NOT_WELL_FORMED'],
  ['empty', '', 'EMPTY'],
  ['a plan update in the attendance folder', planFile(LA706, 1, [planRecord(NHS[0])]), 'WRONG_DOCUMENT'],
])('%s: rejected/ with the reason, nothing sent', async (_what, content, code) => {
  const h = await hub();
  await watch(trustSender(client(h, 'RR8PAS')));
  await writeFile(join(folder, 'bad.xml'), content);

  await arrived('rejected', 'bad.xml');
  expect(await readFile(join(folder, 'rejected', 'bad.xml'), 'utf8')).toBe(content);
  expect(await readFile(join(folder, 'rejected', 'bad.xml.error.txt'), 'utf8')).toMatch(new RegExp(`^${code}: `));
  expect(await inbox(client(h, 'X26HUB'))).toEqual([]);
  expect(lines).toContainEqual(expect.objectContaining({ message: 'file rejected', file: 'bad.xml', code }));
});

test('a file failing the schema: error.txt names the schema, then each complaint once, with its line', async () => {
  const h = await hub();
  await watch(trustSender(client(h, 'RR8PAS')));
  await writeFile(join(folder, 'bad.xml'), attendanceXml(NHS[0], 'ATT-BAD').replace('<departmentType>01</departmentType>', '<departmentType>X1</departmentType>'));

  await arrived('rejected', 'bad.xml');
  const [first, complaint, ...rest] = (await readFile(join(folder, 'rejected', 'bad.xml.error.txt'), 'utf8')).split('\n');
  expect(first).toBe('SCHEMA_INVALID: does not match attendance.xsd');
  expect(complaint).toMatch(/^line \d+: Element '\{urn:cpis-exchange:v1\}departmentType'/);
  expect(rest).toEqual(['']);
});

test('a refusal from the hub (a workflow the trust may not send) is permanent: rejected/ with the MESH error', async () => {
  const h = await hub();
  await watch(trustSender(client(h, 'RR8PAS'), 'CPIS_PLAN_UPDATE'));
  await writeFile(join(folder, 'att-5.xml'), attendanceXml(NHS[0], 'ATT-REFUSED'));

  await arrived('rejected', 'att-5.xml');
  const reason = await readFile(join(folder, 'rejected', 'att-5.xml.error.txt'), 'utf8');
  expect(reason).toMatch(/^HUB_REJECTED: /);
  expect(reason).toContain('not allowed');
});

test('while the hub is down the file waits; once it is back the file is sent', async () => {
  const h = await hub();
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(h.url).port) });
  stops.push(() => proxy.close());
  await proxy.down();
  const mesh = new MeshClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, mailboxId: 'RR8PAS', password: PASSWORDS.RR8PAS, sharedKey: 'TestKey', retry: { attempts: 1 } });
  await watch(trustSender(mesh), { settleMs: 0 });
  await writeFile(join(folder, 'att-6.xml'), attendanceXml(NHS[0], 'ATT-DOWN'));

  await waitFor(async () => lines.filter((l) => l.message === 'file not sent; will retry').length >= 3, 10_000, () => JSON.stringify(lines), 50);
  expect(lines).toContainEqual(expect.objectContaining({ file: 'att-6.xml', code: 'HUB_UNAVAILABLE' }));
  expect(await inFolder()).toEqual(['att-6.xml']);
  expect(await inFolder('rejected')).toEqual([]);

  await proxy.up();
  await arrived('sent', 'att-6.xml');
  expect(await inbox(client(h, 'X26HUB'))).toEqual([(await messageIdOf('att-6.xml')).trim()]);
});

test('a file that keeps failing transiently is retried and never rejected, without holding back the others', async () => {
  const h = await hub();
  const toHub = trustSender(client(h, 'RR8PAS'));
  // The hub answering 5xx for one document only: the sender's own transient outcome, for that file.
  const send: Sender = async (m) => (m.fileName === 'stuck.xml'
    ? { ok: false, error: adapterError('HUB_UNAVAILABLE', 'the hub could not take the message now: HTTP 503') }
    : toHub(m));
  await watch(send, { settleMs: 0, concurrency: 2 });
  await writeFile(join(folder, 'stuck.xml'), attendanceXml(NHS[0], 'ATT-STUCK'));
  for (const n of [1, 2, 3]) await writeFile(join(folder, `ok-${n}.xml`), attendanceXml(NHS[1], `ATT-OK-${n}`));

  for (const n of [1, 2, 3]) await arrived('sent', `ok-${n}.xml`);
  await waitFor(async () => lines.filter((l) => l.file === 'stuck.xml').length >= 4, 10_000, () => JSON.stringify(lines), 50);
  expect(lines.filter((l) => l.file === 'stuck.xml').map((l) => l.attempts).slice(0, 4)).toEqual([1, 2, 3, 4]);
  expect(await inFolder()).toEqual(['stuck.xml']);
  expect(await inFolder('rejected')).toEqual([]);
});

test('a file sent again after a crash (copied back) gets the same message id; the hub holds one message', async () => {
  const h = await hub();
  await watch(trustSender(client(h, 'RR8PAS')), { settleMs: 0 });
  await writeFile(join(folder, 'att-7.xml'), attendanceXml(NHS[0], 'ATT-AGAIN'));
  await arrived('sent', 'att-7.xml');
  await copyFile(join(folder, 'sent', 'att-7.xml'), join(folder, 'att-7.xml'));

  await arrived('sent', 'att-7-2.xml');
  const first = await messageIdOf('att-7.xml');
  expect(await messageIdOf('att-7-2.xml')).toBe(first);
  expect(await inbox(client(h, 'X26HUB'))).toEqual([first.trim()]);
  expect(await findSentFile(folder, first.trim())).toBe(join(folder, 'sent', 'att-7.xml'));
});

const idleSource = (path: string) => folderSource({
  folder: path, extensions: ['.xml'], settleMs: 0, pollMs: 50, prepare: attendance,
  send: async () => { throw new Error('nothing should be sent'); }, retry: { baseDelay: 50, maxDelay: 200 }, log: memoryLogger(lines),
});

test('a missing folder is created at start with sent/, rejected/ and skipped/, one log line naming each', async () => {
  const missing = join(folder, 'var', 'pas', 'attendances');
  const source = idleSource(missing);
  await source.start();
  stops.push(() => source.stop());
  expect((await readdir(missing)).sort()).toEqual(['rejected', 'sent', 'skipped']);
  const created = [missing, join(missing, 'sent'), join(missing, 'rejected'), join(missing, 'skipped')];
  expect(lines.filter((l) => l.message === 'folder created')).toEqual(created.map((f) => expect.objectContaining({ folder: f })));

  const again = idleSource(missing);
  await again.start();
  stops.push(() => again.stop());
  expect(lines.filter((l) => l.message === 'folder created')).toHaveLength(4); // nothing new to create
});

test('a folder that cannot be created (a file in the way) fails start with SOURCE_UNAVAILABLE naming it', async () => {
  await writeFile(join(folder, 'a-file'), 'not a folder');
  const impossible = join(folder, 'a-file', 'attendances');
  const failure = await idleSource(impossible).start().then(() => undefined, (err: unknown) => err);
  expect(failure).toBeInstanceOf(AdapterFailure);
  expect((failure as AdapterFailure).error.code).toBe('SOURCE_UNAVAILABLE');
  expect((failure as AdapterFailure).message).toBe(`cannot create the folder ${impossible}: ENOTDIR`);
});

test('a folder that goes away while running is logged once, and files are taken again once it is back', async () => {
  const h = await hub();
  await watch(trustSender(client(h, 'RR8PAS')), { settleMs: 0 });
  const aside = `${folder}-aside`;
  await rename(folder, aside);
  await sleep(300); // several polls
  expect(lines.filter((l) => l.message === 'folder unreadable; still polling')).toEqual([expect.objectContaining({ code: 'ENOENT' })]);

  await writeFile(join(aside, 'att-8.xml'), attendanceXml(NHS[0], 'ATT-BACK'));
  await rename(aside, folder);
  await arrived('sent', 'att-8.xml');
  expect(lines).toContainEqual(expect.objectContaining({ message: 'folder readable again' }));
});

test('stop waits for the send in hand and takes no new file', async () => {
  const h = await hub();
  const mesh = client(h, 'RR8PAS');
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let calls = 0;
  const send: Sender = async (m) => { calls++; await held; return trustSender(mesh)(m); };
  const source = await watch(send, { settleMs: 0 });
  await writeFile(join(folder, 'att-9.xml'), attendanceXml(NHS[0], 'ATT-STOP'));
  await waitFor(async () => calls === 1, 5000, () => 'the file was not taken', 20);

  const stopped = source.stop();
  await writeFile(join(folder, 'att-10.xml'), attendanceXml(NHS[1], 'ATT-AFTER'));
  release();
  await stopped;
  expect(await inFolder('sent')).toEqual(['att-9.xml', 'att-9.xml.message-id']);
  await sleep(200);
  expect(await inFolder()).toEqual(['att-10.xml']);
});

describe('the complete-file rule', () => {
  test('temporary and hidden names are never taken; extensions ignore case', () => {
    expect(['a.xml', 'A.XML', 'a.xml.tmp', 'a.xml.part', '.a.xml', 'a.txt'].filter((n) => isCandidate(n, ['.xml']))).toEqual(['a.xml', 'A.XML']);
  });

  test('a file is settled once size and mtime stay the same for settleMs', () => {
    const tracker = new SettleTracker(100);
    expect(tracker.observe([{ name: 'a', size: 1, mtimeMs: 1 }], 0)).toEqual([]);
    expect(tracker.observe([{ name: 'a', size: 2, mtimeMs: 2 }], 90)).toEqual([]);
    expect(tracker.observe([{ name: 'a', size: 2, mtimeMs: 2 }], 180)).toEqual([]);
    expect(tracker.observe([{ name: 'a', size: 2, mtimeMs: 2 }], 190)).toEqual(['a']);
  });
});

test('local ids are plain, at most 100 characters, and change with the content', () => {
  const long = `${'ä'.repeat(150)}.xml`;
  expect(fileLocalId(long, Buffer.from('x'))).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
  expect(fileLocalId('a b.xml', Buffer.from('x'))).toBe(fileLocalId('a b.xml', Buffer.from('x')));
  expect(fileLocalId('a b.xml', Buffer.from('x'))).not.toBe(fileLocalId('a b.xml', Buffer.from('y')));
  expect(messageLocalId('pas-123.A_b')).toBe('pas-123.A_b');
  expect(messageLocalId('urn:uuid:1 2')).toMatch(/^id-[0-9a-f]{24}$/);
  expect(messageLocalId('x'.repeat(101))).toMatch(/^id-[0-9a-f]{24}$/);
});
