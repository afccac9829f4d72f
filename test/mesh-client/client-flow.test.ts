import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MeshClient, MeshClientError, type MeshClientOptions } from '../../adapters/mesh-client/index.js';
import { startTestHub } from '../support/hub.js';

/** The client against the real hub (config/mesh-sandbox.yaml) on the real Redis. */

const MIB = 1024 * 1024;
let hub: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(async () => {
  await hub?.stop();
});

function clientOf(mailboxId: string, opts: Partial<MeshClientOptions> = {}): MeshClient {
  return new MeshClient({
    baseUrl: hub.url,
    mailboxId,
    password: 'password',
    sharedKey: 'TestKey',
    retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 1000 },
    ...opts,
  });
}

async function collect(ids: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const id of ids) all.push(id);
  return all;
}

describe('MESH client against the hub', () => {
  it('handshakes', async () => {
    await expect(clientOf('X26ABC1').handshake()).resolves.toBeUndefined();
  });

  it('sends a chunked file, lists, downloads, acknowledges and tracks it', async () => {
    const body = randomBytes(5 * MIB + 123);
    const sender = clientOf('X26ABC1', { chunkSize: MIB });
    const recipient = clientOf('X26ABC2');
    const localId = `flow-${randomUUID()}`;

    const id = await sender.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body, localId, fileName: 'big.bin', subject: 'big file' });
    expect(await sender.track(id)).toMatchObject({ message_id: id, status: 'accepted' });
    expect(await collect(recipient.inboxIds())).toContain(id);

    const msg = await recipient.download(id);
    expect(msg.body.length).toBe(body.length);
    expect(msg.body.equals(body)).toBe(true);
    expect(msg.headers).toMatchObject({
      messageId: id, messageType: 'DATA', from: 'X26ABC1', to: 'X26ABC2', workflowId: 'TEST_WORKFLOW',
      localId, fileName: 'big.bin', subject: 'big file', totalChunks: 6,
    });

    await recipient.acknowledge(id);
    expect(await collect(recipient.inboxIds())).not.toContain(id);
    expect(await sender.track(id)).toMatchObject({ message_id: id, status: 'acknowledged' });
  });

  it('round-trips a gzipped single-part message', async () => {
    const sender = clientOf('X26ABC1');
    const recipient = clientOf('X26ABC2');
    const text = 'line of a CP-IS file\n'.repeat(500);
    const id = await sender.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: text, contentType: 'text/plain' });
    const msg = await recipient.download(id);
    expect(msg.body.toString('utf8')).toBe(text);
    expect(msg.headers.contentType).toBe('text/plain');
    await recipient.acknowledge(id);
  });

  it('gets the first id back when a send is repeated with the same localId', async () => {
    const sender = clientOf('X26ABC1');
    const message = { to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'once', localId: `dup-${randomUUID()}` };
    const first = await sender.send(message);
    await expect(sender.send(message)).resolves.toBe(first);
    await clientOf('X26ABC2').acknowledge(first);
  });

  it('pages through an inbox larger than max_results', async () => {
    const sender = clientOf('X26ABC1');
    const recipient = clientOf('X26ABC3');
    const sent: string[] = [];
    for (let i = 0; i < 25; i++) {
      sent.push(await sender.send({ to: 'X26ABC3', workflowId: 'TEST_WORKFLOW', body: `message ${i}`, localId: `page-${i}-${randomUUID()}` }));
    }
    const reply = await sender.send({ to: 'X26ABC3', workflowId: 'TEST_WORKFLOW_ACK', body: 'ack' });

    const listed = await collect(recipient.inboxIds({ maxResults: 10 }));
    expect(listed).toHaveLength(26);
    expect(new Set(listed)).toEqual(new Set([...sent, reply]));
    expect(await recipient.count()).toBe(26);
    expect(await collect(recipient.inboxIds({ maxResults: 10, workflowFilter: 'TEST_WORKFLOW_ACK' }))).toEqual([reply]);
    expect(new Set(await collect(recipient.inboxIds({ workflowFilter: '!*_ACK*' })))).toEqual(new Set(sent));

    for (const id of listed) await recipient.acknowledge(id);
    expect(await collect(recipient.inboxIds({ maxResults: 10 }))).toEqual([]);
  });

  it('looks up the mailboxes of an organisation for a workflow', async () => {
    const client = clientOf('X26ABC1');
    const x26 = await client.lookup('X26', 'TEST_WORKFLOW');
    expect(x26.map((m) => m.mailbox_id).sort()).toEqual(['X26ABC1', 'X26ABC2']);
    expect((await client.lookup('X27', 'TEST_WORKFLOW')).map((m) => m.mailbox_id)).toEqual(['X26ABC3']);
  });

  it('reports MESH errors as codes', async () => {
    const unknownRecipient = await clientOf('X26ABC1')
      .send({ to: 'NOSUCHBOX', workflowId: 'TEST_WORKFLOW', body: 'x' })
      .catch((e: unknown) => e);
    expect(unknownRecipient).toBeInstanceOf(MeshClientError);
    expect(unknownRecipient).toMatchObject({ status: 417, code: '12', meshCode: '12' });

    const badPassword = await clientOf('X26ABC1', { password: 'wrong' }).count().catch((e: unknown) => e);
    // The hub gives 403 a MESH-style body (code "403"); real MESH may send none (HTTP_403).
    expect(badPassword).toBeInstanceOf(MeshClientError);
    expect((badPassword as MeshClientError).status).toBe(403);

    const missing = await clientOf('X26ABC2').download('20200101000000000000_000000').catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404 });
  });
});
