import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import type { ServerResponse } from 'node:http';
import { hashMatches, parseAuthorization } from '../../engine/mesh/auth-token.js';
import { MeshClientError } from '../../adapters/mesh-client/index.js';
import { GIB, gzipBomb } from '../support/gzip-bomb.js';
import { json, STUB_CREDENTIALS as CREDENTIALS, stubClients, type StubHandler } from './stub-server.js';

/** What the client puts on the wire and how it reads answers, against a stub that shows the raw bytes. */

const MB = CREDENTIALS.mailboxId;
const stubs = stubClients({ retry: { attempts: 1 } });
const clientFor = stubs.client;

function octets(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/octet-stream', ...headers });
  res.end(body);
}

describe('every request', () => {
  it('carries a valid single-use token, the v2 Accept and accept-encoding gzip', async () => {
    const client = await clientFor((_req, res) => json(res, 200, { count: 0 }));
    await client.count();
    await client.count();
    const [a, b] = stubs.seen().map((s) => s.headers);
    const token = parseAuthorization(a.authorization);
    expect(token && hashMatches(token, CREDENTIALS)).toBe(true);
    expect(token?.mailboxId).toBe(MB);
    expect(parseAuthorization(b.authorization)?.nonce).not.toBe(token?.nonce);
    expect(a.accept).toBe('application/vnd.mesh.v2+json');
    expect(a['accept-encoding']).toBe('gzip');
  });

  it('handshakes with the client and OS headers', async () => {
    const client = await clientFor((_req, res) => res.end());
    await client.handshake();
    const [req] = stubs.seen();
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/messageexchange/${MB}`);
    expect(req.headers['mex-clientversion']).toMatch(/==/);
    expect(req.headers['mex-osname']).toBeTruthy();
    expect(req.headers['mex-osversion']).toBeTruthy();
  });
});

describe('send', () => {
  const accept: StubHandler = (_req, res) => json(res, 202, { message_id: 'M1' });

  it('sends a small body as it is, with the message headers', async () => {
    const client = await clientFor(accept);
    const id = await client.send({
      to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'hello', localId: 'L1', subject: 'S', fileName: 'f.txt', contentType: 'text/plain',
    });
    expect(id).toBe('M1');
    const [req] = stubs.seen();
    expect(req.body.toString()).toBe('hello');
    expect(req.headers['content-encoding']).toBeUndefined();
    expect(req.headers['mex-chunk-range']).toBeUndefined();
    expect(req.headers).toMatchObject({
      'mex-to': 'X26ABC2', 'mex-workflowid': 'TEST_WORKFLOW', 'mex-localid': 'L1', 'mex-subject': 'S',
      'mex-filename': 'f.txt', 'mex-content-type': 'text/plain', 'content-type': 'text/plain',
    });
  });

  it('gzips a body of 1 KiB or more unless told not to', async () => {
    const body = Buffer.alloc(4096, 'a');
    const client = await clientFor(accept);
    await client.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body });
    await client.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body, compress: false });
    const [gz, plain] = stubs.seen();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(body)).toBe(true);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(body)).toBe(true);
  });

  it('splits the uncompressed body and gzips each chunk on its own', async () => {
    const body = randomBytes(2500);
    const client = await clientFor(accept, { chunkSize: 1000 });
    await client.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body });
    expect(stubs.seen().map((s) => [s.path, s.headers['mex-chunk-range'], s.headers['content-encoding']])).toEqual([
      [`/messageexchange/${MB}/outbox`, '1:3', 'gzip'],
      [`/messageexchange/${MB}/outbox/M1/2`, '2:3', 'gzip'],
      [`/messageexchange/${MB}/outbox/M1/3`, '3:3', 'gzip'],
    ]);
    const pieces = stubs.seen().map((s) => gunzipSync(s.body));
    expect(pieces.map((p) => p.length)).toEqual([1000, 1000, 500]);
    expect(Buffer.concat(pieces).equals(body)).toBe(true);
  });

  it('refuses header values HTTP cannot carry, before sending anything', async () => {
    const client = await clientFor(accept);
    const err = await client.send({ to: 'X26ABC2\r\nX: y', workflowId: 'TEST_WORKFLOW', body: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshClientError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(stubs.seen()).toHaveLength(0);
  });
});

describe('download', () => {
  // A payload that is itself gzip: decoding it twice would be visible.
  const payload = gzipSync(randomBytes(3000));

  it('undoes content-encoding exactly once', async () => {
    const client = await clientFor((_req, res) =>
      octets(res, 200, gzipSync(payload), { 'content-encoding': 'gzip', 'mex-messageid': 'M1', 'mex-messagetype': 'DATA' }),
    );
    const msg = await client.download('M1');
    expect(msg.body.equals(payload)).toBe(true);
  });

  it('joins the chunks of a chunked message, each decoded on its own', async () => {
    const parts = [payload.subarray(0, 1000), payload.subarray(1000, 2000), payload.subarray(2000)];
    const client = await clientFor((req, res) => {
      const n = Number(/\/(\d+)$/.exec(req.path)?.[1] ?? 1);
      octets(res, n < 3 ? 206 : 200, gzipSync(parts[n - 1]), { 'content-encoding': 'gzip', 'mex-chunk-range': `${n}:3` });
    });
    const msg = await client.download('M1');
    expect(stubs.seen().map((s) => s.path)).toEqual([
      `/messageexchange/${MB}/inbox/M1`, `/messageexchange/${MB}/inbox/M1/2`, `/messageexchange/${MB}/inbox/M1/3`,
    ]);
    expect(msg.body.equals(payload)).toBe(true);
  });

  it('refuses a chunk that is not the one asked for', async () => {
    const client = await clientFor((req, res) =>
      octets(res, 206, Buffer.from('x'), { 'mex-chunk-range': req.path.endsWith('/2') ? '3:3' : '1:3' }),
    );
    await expect(client.download('M1')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('refuses (TOO_LARGE) an answer that inflates past 1 GiB, reading no further than its limit', async () => {
    const bomb = gzipBomb(1.1 * GIB);
    const client = await clientFor((_req, res) => octets(res, 200, bomb, { 'content-encoding': 'gzip' }), { maxMessageBytes: 1024 * 1024 });
    let peak = process.memoryUsage().rss;
    const before = peak;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const err = await client.download('M1').catch((e: unknown) => e);
    clearInterval(sampler);
    expect(err).toMatchObject({ code: 'TOO_LARGE', description: `the answer to GET /messageexchange/${MB}/inbox/M1 is over 1048576 bytes` });
    expect(Math.max(peak, process.memoryUsage().rss) - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('holds a chunked message to the limit as a whole', async () => {
    const client = await clientFor((req, res) => {
      const n = Number(/\/(\d+)$/.exec(req.path)?.[1] ?? 1);
      octets(res, n < 2 ? 206 : 200, gzipSync(Buffer.alloc(600)), { 'content-encoding': 'gzip', 'mex-chunk-range': `${n}:2` });
    }, { maxMessageBytes: 1000 });
    await expect(client.download('M1')).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('reads the mex headers of a REPORT', async () => {
    const client = await clientFor((_req, res) =>
      octets(res, 200, Buffer.alloc(0), {
        'mex-messageid': 'R1', 'mex-messagetype': 'REPORT', 'mex-from': 'X26ABC1', 'mex-to': 'X26ABC1',
        'mex-workflowid': 'TEST_WORKFLOW', 'mex-localid': 'L1', 'mex-statuscode': '14', 'mex-statusevent': 'SEND',
        'mex-statusdescription': 'Message not collected by recipient after 5 days', 'mex-statussuccess': 'ERROR',
        'mex-statustimestamp': '20260101120000', 'mex-linkedmsgid': 'M9',
      }),
    );
    const msg = await client.download('R1');
    expect(msg.body.length).toBe(0);
    expect(msg.headers).toMatchObject({
      messageId: 'R1', messageType: 'REPORT', from: 'X26ABC1', workflowId: 'TEST_WORKFLOW', localId: 'L1',
      statusCode: '14', statusSuccess: false, statusTimestamp: '20260101120000', linkedMsgId: 'M9',
    });
  });
});

describe('inboxIds', () => {
  it('follows relative links.next until there is none', async () => {
    const client = await clientFor((req, res) => {
      const page = stubs.seen().length;
      const next = page < 3 ? `/messageexchange/${MB}/inbox?max_results=10&continue_from=page${page + 1}` : undefined;
      json(res, 200, { messages: [`A${page}`, `B${page}`], links: { self: req.path, ...(next && { next }) }, approx_inbox_count: 6 });
    });
    const ids: string[] = [];
    for await (const id of client.inboxIds({ maxResults: 10, workflowFilter: '!*_ACK*' })) ids.push(id);
    expect(ids).toEqual(['A1', 'B1', 'A2', 'B2', 'A3', 'B3']);
    expect(stubs.seen().map((s) => s.search)).toEqual([
      '?max_results=10&workflow_filter=%21*_ACK*',
      '?max_results=10&continue_from=page2',
      '?max_results=10&continue_from=page3',
    ]);
  });

  it('stops on a links.next that points at the same page', async () => {
    const client = await clientFor((_req, res) =>
      json(res, 200, { messages: ['A'], links: { next: `/messageexchange/${MB}/inbox` } }),
    );
    const iterate = async () => {
      for await (const id of client.inboxIds()) void id;
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});
