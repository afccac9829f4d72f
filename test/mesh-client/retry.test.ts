import { describe, expect, it } from '@jest/globals';
import { MeshClient, MeshClientError } from '../../adapters/mesh-client/index.js';
import { backoffMs, retryAfterMs } from '../../adapters/mesh-client/retry.js';
import { drop, json, startStub, STUB_CREDENTIALS as CREDENTIALS, stubClients } from './stub-server.js';

const MB = CREDENTIALS.mailboxId;
const stubs = stubClients({ retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 5_000 } });
const clientFor = stubs.client;

function requestsTo(method: string, path: string): number {
  return stubs.seen().filter((s) => s.method === method && s.path === path).length;
}

async function failure(p: Promise<unknown>): Promise<MeshClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MeshClientError);
  return err as MeshClientError;
}

describe('retried requests', () => {
  it('retries a GET answered 503, signing each attempt afresh', async () => {
    const client = await clientFor((_req, res, n) => (n === 1 ? json(res, 503, {}) : json(res, 200, { count: 7 })));
    await expect(client.count()).resolves.toBe(7);
    expect(requestsTo('GET', `/messageexchange/${MB}/count`)).toBe(2);
    const [first, second] = stubs.seen().map((s) => s.headers.authorization);
    expect(first).not.toEqual(second);
  });

  it.each([425, 429, 502, 504])('retries %i', async (status) => {
    const client = await clientFor((_req, res, n) => (n === 1 ? json(res, status, {}) : json(res, 200, { count: 1 })));
    await expect(client.count()).resolves.toBe(1);
    expect(stubs.seen()).toHaveLength(2);
  });

  it('retries a GET whose connection was dropped', async () => {
    const client = await clientFor((_req, res, n) => (n === 1 ? drop(res) : json(res, 200, { count: 3 })));
    await expect(client.count()).resolves.toBe(3);
    expect(stubs.seen()).toHaveLength(2);
  });

  it('retries a GET that timed out', async () => {
    const client = await clientFor((_req, res, n) => (n === 1 ? undefined : json(res, 200, { count: 4 })), { timeoutMs: 200 });
    await expect(client.count()).resolves.toBe(4);
    expect(stubs.seen()).toHaveLength(2);
  });

  it('retries a chunk POST, and not the first POST', async () => {
    const client = await clientFor(
      (req, res, n) => {
        if (req.path.endsWith('/outbox')) return json(res, 202, { message_id: 'M1' });
        return req.path.endsWith('/2') && n === 1 ? json(res, 503, {}) : json(res, 202, { message_id: 'M1' });
      },
      { chunkSize: 10 },
    );
    await expect(client.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'x'.repeat(25) })).resolves.toBe('M1');
    expect(stubs.seen().map((s) => [s.path, s.headers['mex-chunk-range']])).toEqual([
      [`/messageexchange/${MB}/outbox`, '1:3'],
      [`/messageexchange/${MB}/outbox/M1/2`, '2:3'],
      [`/messageexchange/${MB}/outbox/M1/2`, '2:3'],
      [`/messageexchange/${MB}/outbox/M1/3`, '3:3'],
    ]);
  });

  it('takes 423 on a retried last chunk as that chunk having landed', async () => {
    const client = await clientFor(
      (req, res, n) => {
        if (req.path.endsWith('/outbox')) return json(res, 202, { message_id: 'M2' });
        return n === 1 ? drop(res) : json(res, 423, {});
      },
      { chunkSize: 10 },
    );
    await expect(client.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'y'.repeat(15) })).resolves.toBe('M2');
    expect(requestsTo('POST', `/messageexchange/${MB}/outbox/M2/2`)).toBe(2);
  });

  it('names the message when a later chunk fails for good', async () => {
    const client = await clientFor(
      (req, res) => (req.path.endsWith('/outbox') ? json(res, 202, { message_id: 'M3' }) : json(res, 400, {})),
      { chunkSize: 10 },
    );
    const err = await failure(client.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'z'.repeat(15) }));
    expect(err).toMatchObject({ code: 'HTTP_400', status: 400, messageId: 'M3' });
  });

  it('retries the acknowledge PUT', async () => {
    const client = await clientFor((_req, res, n) => (n === 1 ? json(res, 502, {}) : res.end()));
    await client.acknowledge('M4');
    expect(requestsTo('PUT', `/messageexchange/${MB}/inbox/M4/status/acknowledged`)).toBe(2);
  });

  it('gives up after the last attempt with the last error', async () => {
    const client = await clientFor((_req, res) => json(res, 503, {}), { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 } });
    expect(await failure(client.count())).toMatchObject({ code: 'HTTP_503', status: 503 });
    expect(stubs.seen()).toHaveLength(3);
  });

  it('does not retry other errors', async () => {
    const client = await clientFor((_req, res) =>
      json(res, 404, { message_id: 'M5', internal_id: 'I', detail: [{ event: 'GET', code: '20', msg: 'not found' }] }),
    );
    expect(await failure(client.download('M5'))).toMatchObject({ code: '20', meshCode: '20', status: 404, messageId: 'M5' });
    expect(stubs.seen()).toHaveLength(1);
  });

  it('reports a refused connection as NETWORK', async () => {
    const gone = await startStub(() => undefined);
    await gone.close();
    const client = new MeshClient({ ...CREDENTIALS, baseUrl: gone.url, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 10 } });
    expect(await failure(client.count())).toMatchObject({ code: 'NETWORK', description: 'ECONNREFUSED' });
  });
});

describe('the first POST to /outbox', () => {
  const message = { to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'hello', localId: 'L1' };

  it('is not retried after 503: exactly one request', async () => {
    const client = await clientFor((_req, res) => json(res, 503, {}));
    expect(await failure(client.send(message))).toMatchObject({ status: 503 });
    expect(stubs.seen()).toHaveLength(1);
  });

  it('is not retried after a dropped connection: exactly one request', async () => {
    const client = await clientFor((_req, res) => drop(res));
    expect(await failure(client.send(message))).toMatchObject({ code: 'NETWORK' });
    expect(stubs.seen()).toHaveLength(1);
  });

  it('is not retried after a timeout: exactly one request', async () => {
    const client = await clientFor(() => undefined, { timeoutMs: 200 });
    expect(await failure(client.send(message))).toMatchObject({ code: 'TIMEOUT' });
    expect(stubs.seen()).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('waits as long as the server asks', async () => {
    const client = await clientFor((_req, res, n) =>
      n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, { count: 0 }),
    );
    const started = Date.now();
    await expect(client.count()).resolves.toBe(0);
    // Without the header the backoff would be a few milliseconds (baseDelayMs 5).
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(stubs.seen()).toHaveLength(2);
  });

  it('gives up at once, carrying the header, when the wait is longer than maxDelayMs', async () => {
    const client = await clientFor((_req, res) => json(res, 503, {}, { 'retry-after': '120' }));
    expect(await failure(client.count())).toMatchObject({ status: 503, retryAfter: '120' });
    expect(stubs.seen()).toHaveLength(1);
  });
});

describe('retry helpers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });

  it('backs off exponentially up to the cap, jittered within the upper half of each step', () => {
    const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, policy, () => 0)).toBe(50);
    expect(backoffMs(1, policy, () => 1)).toBe(100);
    expect(backoffMs(3, policy, () => 1)).toBe(400);
    expect(backoffMs(8, policy, () => 0)).toBe(500);
    expect(backoffMs(8, policy, () => 1)).toBe(1000);
  });
});
