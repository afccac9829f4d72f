import { startTestHub, type TestHub, testRedis } from '../support/hub.js';
import { meshRequest } from '../support/mesh-http.js';

let hub: TestHub;
beforeAll(async () => { hub = await startTestHub(); });
afterAll(async () => { await hub.stop(); });

const clientHeaders = { 'mex-clientversion': 'test==1.0', 'mex-osname': 'Linux', 'mex-osversion': '6.1' };

describe('handshake', () => {
  test.each(['POST', 'GET'])('%s v2 answers 200 with no body and records the client', async (method) => {
    const res = await meshRequest(hub.url, method, '/messageexchange/X26ABC1', { headers: clientHeaders });
    expect([res.status, res.text]).toEqual([200, '']);
    const redis = testRedis();
    try {
      expect(await redis.hgetall(hub.store.keys.handshake('X26ABC1'))).toMatchObject({ clientVersion: 'test==1.0', osName: 'Linux', osVersion: '6.1' });
    } finally {
      redis.disconnect();
    }
  });

  test.each(['POST', 'GET'])('%s v1 answers {mailboxId}', async (method) => {
    const res = await meshRequest(hub.url, method, '/messageexchange/X26ABC2', {
      mailbox: 'X26ABC2', headers: { ...clientHeaders, accept: 'application/json' },
    });
    expect([res.status, res.json()]).toEqual([200, { mailboxId: 'X26ABC2' }]);
  });

  test('a mailbox id in lower case in the path is the same mailbox', async () => {
    const res = await meshRequest(hub.url, 'POST', '/messageexchange/x26abc1', { headers: { ...clientHeaders, accept: 'application/json' } });
    expect([res.status, res.json()]).toEqual([200, { mailboxId: 'X26ABC1' }]);
  });
});

describe('health', () => {
  test('/health/live answers without authentication', async () => {
    const res = await fetch(`${hub.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'live' });
  });

  test('/health/ready answers 200 while Redis answers', async () => {
    const res = await fetch(`${hub.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });
});
