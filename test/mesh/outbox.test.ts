import { gunzipSync, gzipSync } from 'node:zlib';
import { startTestHub, type TestHub } from '../support/hub.js';
import { meshRequest, rawMeshRequest } from '../support/mesh-http.js';
import { acknowledge, download as downloadFrom, inboxIds, send, sendChunk, sendId, tracking as trackingOf } from '../support/mesh-flow.js';

let hub: TestHub;
beforeAll(async () => { hub = await startTestHub(); });
afterAll(async () => { await hub.stop(); });

const V1 = { accept: 'application/vnd.mesh.v1+json' };
const inbox2 = (query = '') => inboxIds(hub.url, 'X26ABC2', query);
const download = (id: string, suffix = '', headers: Record<string, string> = {}) => downloadFrom(hub.url, 'X26ABC2', `${id}${suffix}`, headers);
const chunk = (id: string, n: number, range: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  sendChunk(hub.url, id, n, { 'mex-chunk-range': range, ...headers }, body);
const tracking = (id: string, headers: Record<string, string> = {}) => trackingOf(hub.url, id, headers);

describe('send', () => {
  test('v2 answers 202 {message_id} and the message is in the inbox', async () => {
    const res = await send(hub.url, 'v2 body');
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toContain('application/vnd.mesh.v2+json');
    expect(Object.keys(res.json())).toEqual(['message_id']);
    expect(res.json().message_id).toMatch(/^\d{20}_[0-9A-F]{6}$/);
    expect(await inbox2()).toContain(res.json().message_id);
  });

  test.each([['application/json'], ['application/vnd.mesh.v1+json'], ['']])('v1 (Accept %p) answers 202 {messageID}', async (accept) => {
    const res = await send(hub.url, 'v1 body', { headers: { accept } });
    expect(res.status).toBe(202);
    expect(Object.keys(res.json())).toEqual(['messageID']);
    expect(await inbox2()).toContain(res.json().messageID);
  });

  test('the recipient sees the sender, the metadata and the body as sent', async () => {
    const id = await sendId(hub.url, Buffer.from([0, 1, 2, 255]), {
      headers: { 'mex-subject': 'subj', 'mex-localid': 'meta-1', 'mex-filename': 'f.bin', 'mex-partnerid': 'p1', 'mex-content-encrypted': 'Y' },
    });
    const got = await download(id);
    expect(got.status).toBe(200);
    expect([...got.bytes]).toEqual([0, 1, 2, 255]);
    const h = Object.fromEntries(got.headers);
    expect(h).toMatchObject({
      'mex-from': 'X26ABC1', 'mex-to': 'X26ABC2', 'mex-workflowid': 'TEST_WORKFLOW', 'mex-chunk-range': '1:1', 'mex-total-chunks': '1',
      'mex-subject': 'subj', 'mex-localid': 'meta-1', 'mex-filename': 'f.bin', 'mex-partnerid': 'p1', 'mex-content-encrypted': 'Y',
      'mex-messagetype': 'DATA', 'mex-messageid': id, 'mex-statuscode': '00', 'mex-statussuccess': 'SUCCESS', 'mex-version': '1.0',
    });
    expect(h['mex-statustimestamp']).toMatch(/^\d{14}$/);
  });
});

describe('idempotent send', () => {
  test('the same sender and mex-localid returns the first message id, and only one message arrives', async () => {
    const before = await inbox2();
    const first = await send(hub.url, 'once', { headers: { 'mex-localid': 'same-local' } });
    const again = await send(hub.url, 'once more', { headers: { 'mex-localid': 'same-local' } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.json().message_id).toBe(first.json().message_id);
    const after = await inbox2();
    expect(after.length).toBe(before.length + 1);
    expect((await download(first.json().message_id)).text).toBe('once');
  });

  test('sends with the same local id at the same moment still make one message', async () => {
    const before = await inbox2();
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => send(hub.url, `race ${n}`, { headers: { 'mex-localid': 'raced-local' } })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.json().message_id)).size).toBe(1);
    expect((await inbox2()).length).toBe(before.length + 1);
  });

  test('another local id, or another sender with the same local id, is a new message', async () => {
    const a = await sendId(hub.url, 'a', { headers: { 'mex-localid': 'local-a' } });
    const b = await sendId(hub.url, 'b', { headers: { 'mex-localid': 'local-b' } });
    const c = await sendId(hub.url, 'c', { from: 'X26ABC3', headers: { 'mex-localid': 'local-a' } });
    expect(new Set([a, b, c]).size).toBe(3);
    expect(await inbox2()).toEqual(expect.arrayContaining([a, b, c]));
  });

  test('without a local id every send is a new message', async () => {
    const a = await sendId(hub.url, 'same');
    const b = await sendId(hub.url, 'same');
    expect(a).not.toBe(b);
  });
});

describe('chunked upload and download', () => {
  const parts = ['first part, ', 'second part, ', 'third and last'];

  test('the message reaches the inbox with its last chunk and downloads 206, 206, 200', async () => {
    const first = await send(hub.url, parts[0], { headers: { 'mex-chunk-range': '1:3', 'mex-localid': 'chunky' } });
    expect(first.status).toBe(202);
    const id = first.json().message_id as string;
    expect(await inbox2()).not.toContain(id);
    expect((await tracking(id)).json().status).toBe('uploading');
    expect((await download(id)).status).toBe(404);

    const second = await chunk(id, 2, '2:3', parts[1]);
    expect(second.status).toBe(202);
    expect(await inbox2()).not.toContain(id);
    const third = await chunk(id, 3, '3:3', parts[2]);
    expect(third.status).toBe(202);
    expect(await inbox2()).toContain(id);
    expect((await tracking(id)).json().status).toBe('accepted');

    const whole = await download(id);
    expect(whole.status).toBe(206);
    expect(whole.headers.get('mex-chunk-range')).toBe('1:3');
    expect(whole.headers.get('mex-total-chunks')).toBe('3');
    expect(whole.text).toBe(parts[0]);
    const c2 = await download(id, '/2');
    expect([c2.status, c2.headers.get('mex-chunk-range'), c2.text]).toEqual([206, '2:3', parts[1]]);
    const c3 = await download(id, '/3');
    expect([c3.status, c3.headers.get('mex-chunk-range'), c3.text]).toEqual([200, '3:3', parts[2]]);
    const c1 = await download(id, '/1');
    expect([c1.status, c1.text]).toEqual([206, parts[0]]);
  });

  test('chunks may arrive out of order, and a chunk sent again before the end replaces itself', async () => {
    const id = await sendId(hub.url, 'A', { headers: { 'mex-chunk-range': '1:3' } });
    expect((await chunk(id, 3, '3:3', 'C')).status).toBe(202);
    expect((await chunk(id, 3, '3:3', 'C')).status).toBe(202);
    expect(await inbox2()).not.toContain(id);
    expect((await chunk(id, 2, '2:3', 'B')).status).toBe(202);
    expect(await inbox2()).toContain(id);
    expect([(await download(id)).text, (await download(id, '/2')).text, (await download(id, '/3')).text]).toEqual(['A', 'B', 'C']);
  });

  test('v1 chunk answers are {messageID, blockID}; v2 are {message_id}', async () => {
    const id = await sendId(hub.url, 'A', { headers: { 'mex-chunk-range': '1:3' } });
    const v1 = await chunk(id, 2, '2:3', 'B', V1);
    expect([v1.status, v1.json()]).toEqual([202, { messageID: id, blockID: 2 }]);
    const v2 = await chunk(id, 3, '3:3', 'C');
    expect([v2.status, v2.json()]).toEqual([202, { message_id: id }]);
  });

  test('gzip chunks, each compressed on its own, download as the sender wrote them', async () => {
    const plain = ['x'.repeat(5000), 'y'.repeat(5000)];
    const gz = { 'content-encoding': 'gzip' };
    const id = await sendId(hub.url, gzipSync(plain[0]), { headers: { 'mex-chunk-range': '1:2', ...gz } });
    expect((await chunk(id, 2, '2:2', gzipSync(plain[1]), gz)).status).toBe(202);
    const identity = { 'accept-encoding': 'identity' };
    expect((await download(id, '', identity)).text).toBe(plain[0]);
    expect((await download(id, '/2', identity)).text).toBe(plain[1]);
    const raw = await rawMeshRequest(hub.url, 'GET', `/messageexchange/X26ABC2/inbox/${id}/2`, { mailbox: 'X26ABC2', headers: { 'accept-encoding': 'gzip' } });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(raw.bytes).toString()).toBe(plain[1]);
  });
});

describe('gzip', () => {
  const text = 'compressible '.repeat(1000);
  const rawDownload = (id: string, acceptEncoding: string) =>
    rawMeshRequest(hub.url, 'GET', `/messageexchange/X26ABC2/inbox/${id}`, { mailbox: 'X26ABC2', headers: { 'accept-encoding': acceptEncoding } });

  test.each(['identity', 'gzip;q=0'])('a gzip upload downloads plain for a client that does not accept gzip (%p)', async (acceptEncoding) => {
    const id = await sendId(hub.url, gzipSync(text), { headers: { 'content-encoding': 'gzip' } });
    const res = await rawDownload(id, acceptEncoding);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.bytes.toString()).toBe(text);
  });

  test('a gzip upload downloads as gzip for a client that accepts it', async () => {
    const id = await sendId(hub.url, gzipSync(text), { headers: { 'content-encoding': 'gzip' } });
    const res = await rawDownload(id, 'gzip, deflate');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['mex-content-compressed']).toBe('Y');
    expect(gunzipSync(res.bytes).toString()).toBe(text);
  });

  test('a large plain upload is gzipped only for a client that accepts gzip', async () => {
    const big = 'plain '.repeat(20_000);
    const id = await sendId(hub.url, big);
    const zipped = await rawDownload(id, 'gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.bytes).toString()).toBe(big);
    const plain = await rawDownload(id, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.toString()).toBe(big);
  });

  test('fetch, which asks for gzip and inflates it, sees the original text', async () => {
    const id = await sendId(hub.url, gzipSync(text), { headers: { 'content-encoding': 'gzip' } });
    expect((await download(id)).text).toBe(text);
  });
});

describe('tracking', () => {
  test('v2 shows a sent message and its status as it moves', async () => {
    const id = await sendId(hub.url, 'track me', { headers: { 'mex-localid': 'track-1', 'mex-filename': 'track.txt' } });
    const res = await tracking(id);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      message_id: id, local_id: 'track-1', workflow_id: 'TEST_WORKFLOW', filename: 'track.txt', recipient: 'X26ABC2',
      recipient_name: 'TESTMB2', recipient_ods_code: 'X26', recipient_org_name: 'TEST ORG X26', status: 'accepted', status_success: true,
    });
    expect(new Date(res.json().upload_timestamp).getTime()).not.toBeNaN();
    await acknowledge(hub.url, 'X26ABC2', id);
    expect((await tracking(id)).json().status).toBe('acknowledged');
  });

  test('v1 shows the v1 field names', async () => {
    const id = await sendId(hub.url, 'track me too', { headers: { 'mex-localid': 'track-2' } });
    const res = await tracking(id, V1);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      messageId: id, dtsId: id, localId: 'track-2', sender: 'X26ABC1', recipient: 'X26ABC2', workflowId: 'TEST_WORKFLOW',
      status: 'Accepted', messageType: 'Data', senderOdsCode: 'X26', recipientName: 'TESTMB2', statusSuccess: 'SUCCESS',
    });
    expect(res.json().uploadTimestamp).toMatch(/^\d{14}$/);
  });

  test('by local id', async () => {
    const id = await sendId(hub.url, 'by local', { headers: { 'mex-localid': 'track-local-3' } });
    const res = await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC1/outbox/tracking/track-local-3');
    expect(res.status).toBe(200);
    expect(res.json().message_id).toBe(id);
  });

  test('by a local id as long as MESH allows (300 characters)', async () => {
    const localId = `long-${'x'.repeat(295)}`;
    const id = await sendId(hub.url, 'long local id', { headers: { 'mex-localid': localId } });
    const res = await meshRequest(hub.url, 'GET', `/messageexchange/X26ABC1/outbox/tracking/${localId}`);
    expect([res.status, res.json().message_id]).toEqual([200, id]);
  });

  test('a message id in lower case finds the message', async () => {
    const id = await sendId(hub.url, 'case');
    expect((await tracking(id.toLowerCase())).json().message_id).toBe(id);
  });

  test('only the sender can track a message', async () => {
    const id = await sendId(hub.url, 'private');
    const res = await trackingOf(hub.url, id, {}, 'X26ABC2');
    expect(res.status).toBe(404);
  });
});
