import { startTestHub, type TestHub } from '../support/hub.js';
import { meshRequest } from '../support/mesh-http.js';

let hub: TestHub;
beforeAll(async () => { hub = await startTestHub(); });
afterAll(async () => { await hub.stop(); });

const send = (body: string, headers: Record<string, string> = {}) =>
  meshRequest(hub.url, 'POST', '/messageexchange/X26ABC1/outbox', {
    headers: { 'mex-to': 'X26ABC2', 'mex-workflowid': 'TEST_WORKFLOW', 'content-type': 'text/plain', ...headers },
    body,
  });

test('a message goes from outbox to inbox, downloads, and leaves on acknowledgement', async () => {
  const sent = await send('hello', { 'mex-localid': 'local-1', 'mex-subject': 'greeting' });
  expect(sent.status).toBe(202);
  const id = sent.json().message_id as string;

  const inbox = await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC2/inbox', { mailbox: 'X26ABC2' });
  expect(inbox.json().messages).toContain(id);

  const got = await meshRequest(hub.url, 'GET', `/messageexchange/X26ABC2/inbox/${id}`, { mailbox: 'X26ABC2' });
  expect(got.status).toBe(200);
  expect(got.text).toBe('hello');
  expect(got.headers.get('mex-from')).toBe('X26ABC1');
  expect(got.headers.get('mex-localid')).toBe('local-1');
  expect(got.headers.get('mex-messagetype')).toBe('DATA');

  const ack = await meshRequest(hub.url, 'PUT', `/messageexchange/X26ABC2/inbox/${id}/status/acknowledged`, { mailbox: 'X26ABC2' });
  expect(ack.status).toBe(200);
  const after = await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC2/inbox', { mailbox: 'X26ABC2' });
  expect(after.json().messages).not.toContain(id);

  const tracked = await meshRequest(hub.url, 'GET', `/messageexchange/X26ABC1/outbox/tracking?messageID=${id}`);
  expect(tracked.json()).toMatchObject({ message_id: id, status: 'acknowledged', local_id: 'local-1' });
});
