import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestHub, type TestHub } from '../support/hub.js';
import { meshRequest } from '../support/mesh-http.js';

/** The public NHSDigital JavaScript client, unchanged, against the hub with the mesh-sandbox defaults. */
let hub: TestHub;
beforeAll(async () => { hub = await startTestHub(); });
afterAll(() => hub.stop());

test('nhs-mesh-client sends, lists, reads, acknowledges and sends chunked', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['test/compat/nhs-mesh-client-flow.mjs', hub.url], {
    env: { ...process.env, NODE_OPTIONS: '--no-warnings' },
    timeout: 30_000,
  });
  const run = JSON.parse(stdout.trim().split('\n').at(-1)!);
  expect(run).toMatchObject({
    handshake: 200, sent: 202, listed: [run.id],
    read: { status: 200, data: 'hello from nhs-mesh-client', from: 'X26ABC1' },
    ack: 200, after: [], chunked: 202,
  });
  expect(run.chunkedInbox).toHaveLength(1);

  const [chunkedId] = run.chunkedInbox;
  // Its 10 MB chunks: a file just over that arrives as two gzipped chunks.
  const first = await meshRequest(hub.url, 'GET', `/messageexchange/X26ABC2/inbox/${chunkedId}`, { mailbox: 'X26ABC2' });
  expect([first.status, first.headers.get('mex-chunk-range'), first.headers.get('mex-workflowid')]).toEqual([206, '1:2', 'API-DOCS-TEST']);
  const second = await meshRequest(hub.url, 'GET', `/messageexchange/X26ABC2/inbox/${chunkedId}/2`, { mailbox: 'X26ABC2' });
  expect(second.status).toBe(200);
  expect(Buffer.concat([first.bytes, second.bytes]).equals(Buffer.alloc(10 * 1024 * 1024 + 17, 'abc'))).toBe(true);
});
