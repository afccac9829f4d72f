import { gzipSync } from 'node:zlib';
import { memoryLogger, startTestHub, type TestHub } from '../support/hub.js';
import { acknowledge, download, send, sendChunk, sendId } from '../support/mesh-flow.js';

/** A fake NHS number (valid check digit, never issued) and a name: what must never reach a log. */
const NHS_NUMBER = '9434765919';
const MARKER = `patient ${NHS_NUMBER} Jane Testperson`;

const lines: object[] = [];
let hub: TestHub;
beforeAll(async () => { hub = await startTestHub({}, { log: memoryLogger(lines) }); });
afterAll(async () => { await hub.stop(); });

const logged = () => lines.map((l) => JSON.stringify(l));
const linesAbout = (id: string) => lines.filter((l) => JSON.stringify(l).includes(id)) as Record<string, unknown>[];

test('a message sent, chunked, downloaded and acknowledged is logged by id, never by content', async () => {
  const body = `${MARKER}\n`.repeat(50);
  const id = await sendId(hub.url, body, { headers: { 'mex-subject': MARKER, 'mex-localid': `local-${NHS_NUMBER}`, 'mex-filename': `${NHS_NUMBER}.xml` } });
  const chunked = await sendId(hub.url, gzipSync(body), { headers: { 'mex-chunk-range': '1:2', 'content-encoding': 'gzip' } });
  await sendChunk(hub.url, chunked, 2, { 'mex-chunk-range': '2:2', 'content-encoding': 'gzip' }, gzipSync(body));
  for (const path of [id, chunked, `${chunked}/2`]) {
    const got = await download(hub.url, 'X26ABC2', path, { 'accept-encoding': 'identity' });
    expect(got.text).toContain(NHS_NUMBER);
  }
  for (const m of [id, chunked]) await acknowledge(hub.url, 'X26ABC2', m);
  // Refusals that echo client input: a body that is not gzip, a subject with a control character.
  await send(hub.url, MARKER, { headers: { 'content-encoding': 'gzip' } });
  await send(hub.url, MARKER, { headers: { 'mex-subject': `${MARKER}\t` } });

  expect(logged().filter((l) => l.includes(NHS_NUMBER) || l.includes('Testperson'))).toEqual([]);
  const about = linesAbout(id);
  expect(about.map((l) => l.message)).toEqual(['message accepted', 'message downloaded', 'message acknowledged']);
  for (const line of about) expect(line).toMatchObject({ messageId: id, mailbox: expect.stringMatching(/^X26ABC[12]$/) });
  expect(linesAbout(chunked).map((l) => l.message)).toEqual(['message accepted', 'chunked message complete', 'message downloaded', 'message acknowledged']);
});
