import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { makeAuthorization } from '../../engine/mesh/auth-token.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { meshRequest, V2, type MeshResponse } from '../support/mesh-http.js';
import {
  acknowledge, download as downloadFrom, expectMeshError, inboxCount, inboxIds, send, sendChunk, sendId, tracking, type SendOptions,
} from '../support/mesh-flow.js';

const MAILBOXES = ['X26ABC1', 'X26ABC2', 'X26ABC3'];

/** Every inbox of a hub, and each count, so a test can show a refused request changed none of them. */
async function snapshot(hub: TestHub) {
  return Promise.all(MAILBOXES.map(async (m) => ({ m, ids: await inboxIds(hub.url, m), count: await inboxCount(hub.url, m) })));
}

/** Runs the request, asserts the MESH error answer, and that no inbox changed. */
async function refused(hub: TestHub, status: number, code: string, request: () => Promise<MeshResponse>): Promise<MeshResponse> {
  const before = await snapshot(hub);
  const res = await request();
  expectMeshError(res, status, code);
  expect(await snapshot(hub)).toEqual(before);
  return res;
}

describe('with the sandbox configuration', () => {
  let hub: TestHub;
  beforeAll(async () => { hub = await startTestHub(); });
  afterAll(async () => { await hub.stop(); });

  const sendAs = (body: Buffer | string, options: SendOptions = {}) => send(hub.url, body, options);
  const rawSend = (headers: Record<string, string>, body: Buffer | string = 'x') =>
    meshRequest(hub.url, 'POST', '/messageexchange/X26ABC1/outbox', { headers, body });
  const chunk = (id: string, n: number | string, headers: Record<string, string>, body: Buffer | string = 'more', from = 'X26ABC1') =>
    sendChunk(hub.url, id, n, headers, body, from);
  const download = (mailbox: string, id: string, suffix = '') => downloadFrom(hub.url, mailbox, `${id}${suffix}`);
  const ack = (mailbox: string, id: string) => acknowledge(hub.url, mailbox, id);
  const status = async (id: string) => (await tracking(hub.url, id)).json().status;

  describe('send headers', () => {
    test('no mex-to is 417, code 08', async () => {
      await refused(hub, 417, '08', () => rawSend({ 'mex-workflowid': 'TEST_WORKFLOW' }));
    });

    test('no mex-workflowid is 400, code 06', async () => {
      await refused(hub, 400, '06', () => rawSend({ 'mex-to': 'X26ABC2' }));
    });

    test.each([
      ['a control character in mex-to', { to: 'X26\tABC2' }],
      ['a URL in mex-to', { to: 'http://evil.example/X26ABC2' }],
      ['a scheme in mex-to', { to: 'javascript:alert(1)' }],
      ['a control character in mex-workflowid', { workflow: 'TEST_\tWORKFLOW' }],
      ['a URL in mex-workflowid', { workflow: 'https://evil.example/TEST_WORKFLOW' }],
      ['a protocol-relative URL in mex-workflowid', { workflow: '//evil.example' }],
      ['two recipients in mex-to', { to: 'X26ABC2, X26ABC3' }],
    ])('%s is 400, code 06', async (_what, options) => {
      await refused(hub, 400, '06', () => sendAs('x', options));
    });

    describe('a control character that Node refuses before routing', () => {
      /** The request head as bytes on a raw socket (fetch would refuse to send it), and the whole answer. */
      const rawExchange = (headerLines: string[]) => new Promise<{ head: string; body: string }>((resolve, reject) => {
        const { port } = new URL(hub.url);
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(['POST /messageexchange/X26ABC1/outbox HTTP/1.1', 'Host: hub', ...headerLines, 'Content-Length: 1', '', 'x'].join('\r\n'), 'latin1');
        });
        let answer = '';
        socket.on('data', (d: Buffer) => { answer += d.toString('latin1'); });
        socket.on('close', () => {
          const [head, body = ''] = answer.split('\r\n\r\n');
          resolve({ head, body });
        });
        socket.on('error', reject);
      });
      const auth = () => `Authorization: ${makeAuthorization({ mailboxId: 'X26ABC1', password: 'password', sharedKey: 'TestKey' })}`;

      test('in a header value is 400 in the MESH shape, naming the header, never echoing its value', async () => {
        const before = await snapshot(hub);
        const { head, body } = await rawExchange([`Accept: ${V2}`, auth(), 'mex-to: X26ABC2', 'mex-workflowid: TEST_WORKFLOW', 'mex-subject: secret\x01value']);
        expect(head).toMatch(/^HTTP\/1\.1 400 /);
        expect(head).toContain(`Content-Type: ${V2}`);
        const json = JSON.parse(body);
        expect(json).toEqual({ message_id: null, internal_id: expect.any(String), detail: [{ event: 'SEND', code: '06', msg: expect.stringContaining('mex-subject') }] });
        expect(body).not.toContain('secret');
        expect(await snapshot(hub)).toEqual(before);
      });

      test('in a header name is 400 in the MESH shape, in v1 without a v2 Accept', async () => {
        const { head, body } = await rawExchange([auth(), 'mex-to: X26ABC2', 'mex-sub\x01ject: x']);
        expect(head).toMatch(/^HTTP\/1\.1 400 /);
        expect(JSON.parse(body)).toEqual({
          errorEvent: 'SEND', errorCode: '06', errorDescription: 'Malformed headers: a header name has a control character',
        });
      });
    });

    test('a control character in mex-subject is 400, code 06', async () => {
      await refused(hub, 400, '06', () => sendAs('x', { headers: { 'mex-subject': 'a\tb' } }));
    });

    test('an unknown recipient is 417, code 12', async () => {
      await refused(hub, 417, '12', () => sendAs('x', { to: 'X99NOPE' }));
    });

    test('an unknown workflow is refused (16) and nothing arrives', async () => {
      await refused(hub, 403, '16', () => sendAs('x', { workflow: 'NO_SUCH_WORKFLOW' }));
    });

    test('an empty body is 417, code 02', async () => {
      await refused(hub, 417, '02', () => sendAs(''));
    });

    test('a gzip body that is not gzip is 400, code 06', async () => {
      await refused(hub, 400, '06', () => sendAs('plainly not gzip', { headers: { 'content-encoding': 'gzip' } }));
    });

    test('a gzip body cut short is 400, code 06', async () => {
      await refused(hub, 400, '06', () => sendAs(gzipSync('x'.repeat(1000)).subarray(0, 20), { headers: { 'content-encoding': 'gzip' } }));
    });

    test('an encoding other than gzip is refused', async () => {
      await refused(hub, 415, 'UnsupportedContentEncoding', () => sendAs('x', { headers: { 'content-encoding': 'br' } }));
    });

    test.each([['0:2'], ['3:2'], ['a:b'], ['2:3'], ['1:0'], ['1']])('mex-chunk-range %p on the first upload is 417', async (range) => {
      await refused(hub, 417, 'InvalidHeaderChunks', () => sendAs('x', { headers: { 'mex-chunk-range': range } }));
    });

    test('the v1 error shape carries the same code', async () => {
      const res = await rawSend({ 'mex-workflowid': 'TEST_WORKFLOW', accept: 'application/json' });
      expect(res.status).toBe(417);
      expect(res.json()).toMatchObject({ errorEvent: 'SEND', errorCode: '08', errorDescription: expect.any(String) });
    });
  });

  describe('chunks', () => {
    /** A refused chunk: the MESH answer names the message, and no inbox changed. */
    async function refusedChunk(id: string, status: number, code: string, request: () => Promise<MeshResponse>) {
      const res = await refused(hub, status, code, request);
      expect(res.json().message_id).toBe(id);
    }

    /** A message of `total` chunks with chunk 1 sent, not yet in any inbox. */
    const started = (total: number) => sendId(hub.url, 'one', { headers: { 'mex-chunk-range': `1:${total}` } });

    /**
     * For a message of 3 started with chunk 1, after a refused chunk 3: the real chunk 2 leaves it
     * uploading (so the refusal stored no chunk 3), and the real chunk 3 completes it.
     */
    async function completesOnlyWithTheRealChunks(id: string) {
      expect((await chunk(id, 2, { 'mex-chunk-range': '2:3' }, 'part2')).status).toBe(202);
      expect(await status(id)).toBe('uploading');
      expect((await chunk(id, 3, { 'mex-chunk-range': '3:3' }, 'part3')).status).toBe(202);
      expect(await status(id)).toBe('accepted');
      expect((await download('X26ABC2', id, '/3')).text).toBe('part3');
    }

    test.each([
      ['chunk 0 in the URL', 0, '0:3'],
      ['a chunk beyond the total', 4, '4:3'],
      ['a non-numeric range', 3, 'three:3'],
      ['a non-numeric chunk number', 'three', '3:3'],
      ['a header that names another chunk than the URL', 3, '2:3'],
      ['a total that changes between chunks', 3, '3:4'],
      ['no mex-chunk-range', 3, ''],
    ])('%s is 417 and changes nothing', async (_what, n, range) => {
      const id = await started(3);
      await refusedChunk(id, 417, 'InvalidHeaderChunks', () => chunk(id, n, range ? { 'mex-chunk-range': range } : {}, 'bad'));
      await completesOnlyWithTheRealChunks(id);
    });

    test('a chunk to a finished message is 423 and the content stays', async () => {
      const id = await started(3);
      await completesOnlyWithTheRealChunks(id);
      await refusedChunk(id, 423, '423', () => chunk(id, 3, { 'mex-chunk-range': '3:3' }, 'replacement'));
      expect((await download('X26ABC2', id, '/3')).text).toBe('part3');
    });

    test('a chunk to a whole (one-chunk) message is 423', async () => {
      const id = await sendId(hub.url, 'whole');
      await refusedChunk(id, 423, '423', () => chunk(id, 1, { 'mex-chunk-range': '1:1' }, 'replacement'));
      expect((await download('X26ABC2', id)).text).toBe('whole');
    });

    test("a chunk to another sender's message is 404 and changes nothing", async () => {
      const id = await started(3);
      await refusedChunk(id, 404, '20', () => chunk(id, 3, { 'mex-chunk-range': '3:3' }, 'intruder', 'X26ABC3'));
      await completesOnlyWithTheRealChunks(id);
    });

    test('a chunk to an unknown message is 404', async () => {
      const id = '20200101000000000000_ABCDEF';
      await refusedChunk(id, 404, '20', () => chunk(id, 2, { 'mex-chunk-range': '2:2' }));
    });

    test('a chunk whose gzip body is not gzip is 400, code 06', async () => {
      const id = await sendId(hub.url, gzipSync('one'), { headers: { 'mex-chunk-range': '1:2', 'content-encoding': 'gzip' } });
      await refusedChunk(id, 400, '06', () => chunk(id, 2, { 'mex-chunk-range': '2:2', 'content-encoding': 'gzip' }, 'not gzip'));
      expect(await status(id)).toBe('uploading');
      expect((await chunk(id, 2, { 'mex-chunk-range': '2:2', 'content-encoding': 'gzip' }, gzipSync('two'))).status).toBe(202);
      expect((await download('X26ABC2', id, '/2')).text).toBe('two');
    });

    test('a chunk that changes the content encoding is 417', async () => {
      const id = await started(3);
      await refusedChunk(id, 417, 'InvalidHeaderChunks', () => chunk(id, 3, { 'mex-chunk-range': '3:3', 'content-encoding': 'gzip' }, gzipSync('three')));
      await completesOnlyWithTheRealChunks(id);
    });

    test('an empty chunk is 417, code 02', async () => {
      const id = await started(3);
      await refusedChunk(id, 417, '02', () => chunk(id, 3, { 'mex-chunk-range': '3:3' }, ''));
      await completesOnlyWithTheRealChunks(id);
    });
  });

  describe('inbox', () => {
    test("download, HEAD or acknowledge of another mailbox's message is 404, and the message stays", async () => {
      const id = await sendId(hub.url, 'for X26ABC2 only');
      const other = await refused(hub, 404, '20', () => download('X26ABC3', id));
      await refused(hub, 404, '20', () => ack('X26ABC3', id));
      await refused(hub, 404, '20', () => download('X26ABC1', id));
      // Word for word what an id that never existed gets: the answer does not confirm the message exists.
      const unknownId = `${id.slice(0, -6)}FFFFFF`;
      const unknown = await download('X26ABC3', unknownId);
      expect(unknown.json().detail).toEqual(other.json().detail);
      const head = await meshRequest(hub.url, 'HEAD', `/messageexchange/X26ABC3/inbox/${id}`, { mailbox: 'X26ABC3' });
      expect([head.status, head.text, head.headers.get('mex-messageid')]).toEqual([404, '', null]);
      expect(await inboxIds(hub.url, 'X26ABC2')).toContain(id);
    });

    test('an unknown message id is 404 for download, chunk, HEAD and acknowledge', async () => {
      const id = '20200101000000000000_ABCDEF';
      await refused(hub, 404, '20', () => download('X26ABC2', id));
      await refused(hub, 404, '20', () => download('X26ABC2', id, '/2'));
      await refused(hub, 404, '20', () => ack('X26ABC2', id));
      expect((await meshRequest(hub.url, 'HEAD', `/messageexchange/X26ABC2/inbox/${id}`, { mailbox: 'X26ABC2' })).status).toBe(404);
    });

    test.each([['0'], ['3'], ['x']])('download of chunk %p of a two-chunk message is 404', async (n) => {
      const id = await sendId(hub.url, 'one', { headers: { 'mex-chunk-range': '1:2' } });
      await chunk(id, 2, { 'mex-chunk-range': '2:2' }, 'two');
      await refused(hub, 404, '20', () => download('X26ABC2', id, `/${n}`));
    });

    test('a message still uploading cannot be downloaded or acknowledged', async () => {
      const id = await sendId(hub.url, 'one', { headers: { 'mex-chunk-range': '1:2' } });
      await refused(hub, 404, '20', () => download('X26ABC2', id));
      await refused(hub, 404, '20', () => ack('X26ABC2', id));
      expect(await status(id)).toBe('uploading');
    });

    test('tracking without a messageID is 400; an unknown one is 404', async () => {
      expectMeshError(await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC1/outbox/tracking'), 400, '400');
      expectMeshError(await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC1/outbox/tracking?messageID=20200101000000000000_ABCDEF'), 404, '20');
    });

    test.each([
      ['/inbox?workflow_filter=A&workflow_filter=B'],
      ['/inbox?max_results=10&max_results=20'],
      ['/inbox?continue_from=A&continue_from=B'],
      ['/outbox/tracking?messageID=A&messageID=B'],
    ])('a repeated query parameter (%s) is 400', async (path) => {
      await refused(hub, 400, '400', () => meshRequest(hub.url, 'GET', `/messageexchange/X26ABC1${path}`));
    });

    test.each([['9'], ['5001'], ['0'], ['-10'], ['ten'], ['10.5']])('max_results=%s is 400', async (max) => {
      await refused(hub, 400, '400', () => meshRequest(hub.url, 'GET', `/messageexchange/X26ABC1/inbox?max_results=${max}`));
    });

    test.each([['10'], ['5000']])('max_results=%s is allowed', async (max) => {
      expect((await meshRequest(hub.url, 'GET', `/messageexchange/X26ABC1/inbox?max_results=${max}`)).status).toBe(200);
    });
  });

  describe('Accept', () => {
    test.each([['application/vnd.mesh.v3+json'], ['application/vnd.mesh.v2+xml'], ['application/vnd.mesh.2']])(
      'a malformed vnd.mesh Accept %p is 400 on a read and on a send',
      async (accept) => {
        const read = await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC1/inbox', { headers: { accept } });
        expect(read.status).toBe(400);
        expect(read.json()).toMatchObject({ errorCode: '400' });
        const before = await snapshot(hub);
        const sent = await sendAs('x', { headers: { accept } });
        expect(sent.status).toBe(400);
        expect(sent.headers.get('content-type')).toContain('json');
        expect(await snapshot(hub)).toEqual(before);
      },
    );
  });

  describe('always JSON from /outbox', () => {
    test.each([
      ['POST', '/messageexchange/X26ABC1/outbox/20200101000000000000_ABCDEF'],
      ['PUT', '/messageexchange/X26ABC1/outbox'],
      ['POST', '/messageexchange/X26ABC1/outbox/20200101000000000000_ABCDEF/2/3'],
    ])('%s %s (no such operation) answers a MESH 404 in JSON', async (method, path) => {
      const res = await meshRequest(hub.url, method, path, { body: 'x' });
      expectMeshError(res, 404, '404');
    });
  });
});

describe('with a 1024-byte request limit', () => {
  let hub: TestHub;
  beforeAll(async () => { hub = await startTestHub({ mesh: { maxRequestBytes: 1024 } }); });
  afterAll(async () => { await hub.stop(); });

  test('a body over the limit is 413 in JSON, and nothing arrives', async () => {
    await refused(hub, 413, '06', () => send(hub.url, Buffer.alloc(2048, 'a')));
  });

  test('a chunk over the limit is 413, and the message stays uploading', async () => {
    const id = await sendId(hub.url, 'small', { headers: { 'mex-chunk-range': '1:2' } });
    await refused(hub, 413, '06', () =>
      meshRequest(hub.url, 'POST', `/messageexchange/X26ABC1/outbox/${id}/2`, { headers: { 'mex-chunk-range': '2:2' }, body: Buffer.alloc(4096, 'b') }));
  });

  test('a large body without a good token is refused for the token (403), before the body is read', async () => {
    await refused(hub, 403, '403', () => meshRequest(hub.url, 'POST', '/messageexchange/X26ABC1/outbox', {
      headers: { 'mex-to': 'X26ABC2', 'mex-workflowid': 'TEST_WORKFLOW' }, body: Buffer.alloc(4096, 'a'), authorization: null,
    }));
  });

  test('a bad URL encoding gets a MESH error in JSON', async () => {
    const res = await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC1/inbox/%E0%A4%A');
    expectMeshError(res, 400, '400');
  });

  test('a body at the limit is accepted', async () => {
    expect((await send(hub.url, Buffer.alloc(1024, 'a'))).status).toBe(202);
  });
});

describe('with workflow permissions', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({
      workflows: [
        { id: 'TEST_WORKFLOW', senders: ['X26ABC1'], recipients: ['X26ABC2'] },
        { id: 'OPEN_WORKFLOW', senders: ['*'], recipients: ['*'] },
      ],
    });
  });
  afterAll(async () => { await hub.stop(); });

  test('a sender not allowed for the workflow is refused with code 16', async () => {
    await refused(hub, 403, '16', () => send(hub.url, 'x', { from: 'X26ABC3', to: 'X26ABC2' }));
  });

  test('a recipient not registered for the workflow is refused with code 17', async () => {
    await refused(hub, 417, '17', () => send(hub.url, 'x', { from: 'X26ABC1', to: 'X26ABC3' }));
  });

  test('an unknown recipient is 12 even on a restricted workflow', async () => {
    await refused(hub, 417, '12', () => send(hub.url, 'x', { from: 'X26ABC3', to: 'X99NOPE' }));
  });

  test('the allowed pair and an open workflow still work', async () => {
    expect((await send(hub.url, 'ok', { from: 'X26ABC1', to: 'X26ABC2' })).status).toBe(202);
    expect((await send(hub.url, 'ok', { from: 'X26ABC3', to: 'X26ABC1', workflow: 'OPEN_WORKFLOW' })).status).toBe(202);
  });
});

describe('with a 1000-byte size limit on TEST_WORKFLOW', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ workflows: [{ id: 'TEST_WORKFLOW', senders: ['*'], recipients: ['*'], maxMessageBytes: 1000 }] });
  });
  afterAll(async () => { await hub.stop(); });

  const chunk = (id: string, n: number, total: number, body: Buffer) => sendChunk(hub.url, id, n, { 'mex-chunk-range': `${n}:${total}` }, body);
  const status = async (id: string) => (await tracking(hub.url, id)).json().status;

  test('a body over the limit is refused at send, 413 code 06, and nothing arrives; one at the limit is accepted', async () => {
    const res = await refused(hub, 413, '06', () => send(hub.url, Buffer.alloc(1001, 'a')));
    expect(res.json().detail[0].msg).toContain('over 1000 bytes');
    expect((await send(hub.url, Buffer.alloc(1000, 'a'))).status).toBe(202);
  });

  test('a gzip body is held to the limit by its inflated size', async () => {
    await refused(hub, 413, '06', () => send(hub.url, gzipSync(Buffer.alloc(1001)), { headers: { 'content-encoding': 'gzip' } }));
    expect((await send(hub.url, gzipSync(Buffer.alloc(1000)), { headers: { 'content-encoding': 'gzip' } })).status).toBe(202);
  });

  test('a chunked message is held to the limit as a whole: the chunk that crosses it is refused, naming the message', async () => {
    const id = await sendId(hub.url, Buffer.alloc(600), { headers: { 'mex-chunk-range': '1:2' } });
    const res = await refused(hub, 413, '06', () => chunk(id, 2, 2, Buffer.alloc(401)));
    expect(res.json().message_id).toBe(id);
    expect(await status(id)).toBe('uploading');
    expect((await chunk(id, 2, 2, Buffer.alloc(400))).status).toBe(202);
    expect(await status(id)).toBe('accepted');
  });

  test('a chunk sent again replaces its size rather than adding to it', async () => {
    const id = await sendId(hub.url, gzipSync(Buffer.alloc(300)), { headers: { 'mex-chunk-range': '1:3', 'content-encoding': 'gzip' } });
    const gz = { 'content-encoding': 'gzip' };
    for (let i = 0; i < 2; i++) expect((await sendChunk(hub.url, id, 2, { 'mex-chunk-range': '2:3', ...gz }, gzipSync(Buffer.alloc(300)))).status).toBe(202);
    expect((await sendChunk(hub.url, id, 3, { 'mex-chunk-range': '3:3', ...gz }, gzipSync(Buffer.alloc(400)))).status).toBe(202);
    expect(await status(id)).toBe('accepted');
  });
});
