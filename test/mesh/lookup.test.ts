import { startTestHub, type TestHub } from '../support/hub.js';
import { meshRequest } from '../support/mesh-http.js';

const V1 = { accept: 'application/json' };

describe('with the sandbox workflows', () => {
  let hub: TestHub;
  beforeAll(async () => { hub = await startTestHub(); });
  afterAll(async () => { await hub.stop(); });
  const lookup = (path: string, headers: Record<string, string> = {}) => meshRequest(hub.url, 'GET', `/messageexchange/${path}`, { headers });

  test('endpoint lookup of X26 + TEST_WORKFLOW finds X26ABC1 and X26ABC2 (v2)', async () => {
    const res = await lookup('endpointlookup/X26/TEST_WORKFLOW');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ results: [{ mailbox_id: 'X26ABC1', mailbox_name: 'TESTMB1' }, { mailbox_id: 'X26ABC2', mailbox_name: 'TESTMB2' }] });
  });

  test('endpoint lookup in v1 shape', async () => {
    const res = await lookup('endpointlookup/X27/TEST_WORKFLOW', V1);
    expect(res.json()).toEqual({ query_id: expect.any(String), results: [{ address: 'X26ABC3', description: 'TESTMB3', endpoint_type: 'MESH' }] });
  });

  test('an ODS code in lower case is the same organisation', async () => {
    expect((await lookup('endpointlookup/x27/TEST_WORKFLOW')).json().results).toEqual([{ mailbox_id: 'X26ABC3', mailbox_name: 'TESTMB3' }]);
  });

  test('an unknown ODS code or workflow finds nothing', async () => {
    expect((await lookup('endpointlookup/X99/TEST_WORKFLOW')).json()).toEqual({ results: [] });
    expect((await lookup('endpointlookup/X26/NO_SUCH_WORKFLOW')).json()).toEqual({ results: [] });
  });

  test('workflow search finds every receiving mailbox (v2 and v1)', async () => {
    const v2 = await lookup('workflowsearch/TEST_WORKFLOW');
    expect(v2.json().results.map((r: { mailbox_id: string }) => r.mailbox_id)).toEqual(['X26ABC1', 'X26ABC2', 'X26ABC3']);
    const v1 = await lookup('workflowsearch/TEST_WORKFLOW', V1);
    expect(v1.json().results.map((r: { address: string }) => r.address)).toEqual(['X26ABC1', 'X26ABC2', 'X26ABC3']);
    expect((await lookup('workflowsearch/NO_SUCH_WORKFLOW')).json()).toEqual({ results: [] });
  });
});

describe('with restricted recipients', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ workflows: [{ id: 'TEST_WORKFLOW', senders: ['*'], recipients: ['X26ABC2'] }] });
  });
  afterAll(async () => { await hub.stop(); });

  test('lookup and search find only the mailboxes that receive the workflow', async () => {
    expect((await meshRequest(hub.url, 'GET', '/messageexchange/endpointlookup/X26/TEST_WORKFLOW')).json().results)
      .toEqual([{ mailbox_id: 'X26ABC2', mailbox_name: 'TESTMB2' }]);
    expect((await meshRequest(hub.url, 'GET', '/messageexchange/workflowsearch/TEST_WORKFLOW')).json().results)
      .toEqual([{ mailbox_id: 'X26ABC2', mailbox_name: 'TESTMB2' }]);
  });
});
