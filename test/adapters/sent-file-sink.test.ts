import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Delivery, Sink } from '../../adapters/core/delivery.js';
import { AdapterFailure } from '../../adapters/core/errors.js';
import { folderSink } from '../../adapters/delivery/folder-sink.js';
import { sentFileSink } from '../../adapters/delivery/sent-file-sink.js';
import { sinkFailure } from '../../adapters/delivery/sink-failure.js';
import { moveToSent } from '../../adapters/sources/folder-layout.js';
import { memoryLogger } from '../support/hub.js';

let root: string;
let drops: string;
let sinkFolder: string;
const lines: object[] = [];
const log = memoryLogger(lines);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sent-file-sink-'));
  [drops, sinkFolder] = [join(root, 'drops'), join(root, 'sink')];
  for (const dir of [drops, sinkFolder]) await mkdir(dir);
  await writeFile(join(drops, 'plan-1.xml'), '<planUpdate/>');
  await moveToSent(drops, 'plan-1.xml', 'M1');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const report = (linked: string): Delivery => ({
  id: `${linked}_R14`,
  body: Buffer.alloc(0),
  headers: { messageId: `${linked}_R14`, messageType: 'REPORT', statusCode: '14', statusDescription: 'Message not collected by recipient', linkedMsgId: linked },
});
const ack = (linked: string): Delivery => ({
  id: `${linked}_A`, body: Buffer.from('<planUpdateAck/>'), headers: { messageId: `${linked}_A`, messageType: 'DATA', linkedMsgId: linked },
});

/** A sink that refuses everything, as one whose folder or broker is away. */
const refusing: Sink = { kind: 'refusing', deliver: async () => { throw sinkFailure('SINK_FAILED', 'away'); }, close: async () => {} };

test('a REPORT on a sent file: the sink gets the report, the file moves to rejected/ with the code, description and report id', async () => {
  await sentFileSink({ folders: [drops], otherwise: folderSink({ folder: sinkFolder }), log }).deliver(report('M1'));
  expect(await readdir(sinkFolder)).toEqual(['M1_R14.xml']);
  expect(await readdir(join(drops, 'sent'))).toEqual([]);
  expect(await readFile(join(drops, 'rejected', 'plan-1.xml'), 'utf8')).toBe('<planUpdate/>');
  expect(await readFile(join(drops, 'rejected', 'plan-1.xml.error.txt'), 'utf8'))
    .toBe('HUB_REPORT: MESH report M1_R14 on message M1: error 14: Message not collected by recipient\n');
  expect(lines).toContainEqual(expect.objectContaining({ message: 'the hub reported on a sent file; moved to rejected/', reportId: 'M1_R14', code: '14' }));
});

test('the file stays in sent/ until the sink has the report, so a failed delivery is retried whole', async () => {
  const failed = await sentFileSink({ folders: [drops], otherwise: refusing, log }).deliver(report('M1')).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(AdapterFailure);
  expect((await readdir(join(drops, 'sent'))).sort()).toEqual(['plan-1.xml', 'plan-1.xml.message-id']);

  const sink = sentFileSink({ folders: [drops], otherwise: folderSink({ folder: sinkFolder }), log });
  await sink.deliver(report('M1'));
  // A repeat after the move (acknowledgement lost) is just delivered again.
  await sink.deliver(report('M1'));
  expect(await readdir(sinkFolder)).toEqual(['M1_R14.xml']);
  expect(await readdir(join(drops, 'rejected'))).toEqual(['plan-1.xml', 'plan-1.xml.error.txt']);
});

test('an answer is written beside its file only when asked; otherwise it goes on to the sink', async () => {
  await sentFileSink({ folders: [drops], otherwise: folderSink({ folder: sinkFolder }), log }).deliver(ack('M1'));
  expect(await readdir(sinkFolder)).toEqual(['M1_A.xml']);
  await sentFileSink({ folders: [drops], otherwise: refusing, answerSuffix: '.ack.xml', log }).deliver(ack('M1'));
  expect(await readFile(join(drops, 'sent', 'plan-1.xml.ack.xml'), 'utf8')).toBe('<planUpdateAck/>');
});

test('a REPORT on a message no folder sent goes to the sink only', async () => {
  await sentFileSink({ folders: [drops, join(root, 'never-used')], otherwise: folderSink({ folder: sinkFolder }), log }).deliver(report('OTHER'));
  expect(await readdir(sinkFolder)).toEqual(['OTHER_R14.xml']);
  expect(await readdir(drops)).toEqual(['sent']);
});
