import { makeAuthorization } from '../../engine/mesh/auth-token.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { meshRequest } from '../support/mesh-http.js';
import { expectMeshError, inboxIds, send } from '../support/mesh-flow.js';

let hub: TestHub;
beforeAll(async () => { hub = await startTestHub(); });
afterAll(async () => { await hub.stop(); });

const HOUR = 3600_000;
const creds = { mailboxId: 'X26ABC1', password: 'password', sharedKey: 'TestKey' };
const tokenAt = (offsetMs: number) => makeAuthorization(creds, { at: new Date(Date.now() + offsetMs) });

/** A send with this Authorization must be refused with 403 and leave X26ABC2's inbox as it was. */
async function refusedSend(authorization: string | null, from = 'X26ABC1') {
  const before = await inboxIds(hub.url, 'X26ABC2');
  const res = await send(hub.url, 'should not arrive', { authorization, from });
  expectMeshError(res, 403, '403');
  expect(await inboxIds(hub.url, 'X26ABC2')).toEqual(before);
  return res;
}
const detail = (res: { json: () => { detail: { msg: string }[] } }) => res.json().detail[0].msg;

test('a good token is accepted', async () => {
  expect((await send(hub.url, 'fine')).status).toBe(202);
});

test.each([
  ['no Authorization', null],
  ['another scheme', 'Basic eDp5'],
  ['garbage', 'NHSMESH garbage'],
  ['a header cut short', tokenAt(0).slice(0, -10)],
  ['an extra part', `${tokenAt(0)}:more`],
])('%s is refused', async (_what, authorization) => {
  await refusedSend(authorization);
});

test('a wrong password is refused', async () => {
  await refusedSend(makeAuthorization({ ...creds, password: 'wrong' }));
});

test('a wrong shared key is refused', async () => {
  await refusedSend(makeAuthorization({ ...creds, sharedKey: 'NotTheKey' }));
});

test('an unknown mailbox is refused', async () => {
  await refusedSend(makeAuthorization({ ...creds, mailboxId: 'X99NOPE' }));
});

test('a timestamp within 2 hours either side is accepted', async () => {
  expect((await send(hub.url, 'early', { authorization: tokenAt(-HOUR) })).status).toBe(202);
  expect((await send(hub.url, 'late', { authorization: tokenAt(HOUR) })).status).toBe(202);
});

test.each([['more than 2 hours old', -3 * HOUR], ['more than 2 hours ahead', 3 * HOUR]])('a timestamp %s is refused', async (_what, offset) => {
  const res = await refusedSend(tokenAt(offset));
  expect(detail(res)).toMatch(/timestamp/i);
});

test('a token is good for one request only', async () => {
  const authorization = tokenAt(0);
  expect((await send(hub.url, 'first use', { authorization })).status).toBe(202);
  const res = await refusedSend(authorization);
  expect(detail(res)).toMatch(/Duplicated/);
});

test('the same nonce with a new nonce count is a new token', async () => {
  const nonce = '11111111-2222-3333-4444-555555555555';
  expect((await send(hub.url, 'count 1', { authorization: makeAuthorization(creds, { nonce, nonceCount: 1 }) })).status).toBe(202);
  expect((await send(hub.url, 'count 2', { authorization: makeAuthorization(creds, { nonce, nonceCount: 2 }) })).status).toBe(202);
});

test("a token for one mailbox does not open another mailbox's path", async () => {
  const auth = makeAuthorization({ ...creds, mailboxId: 'X26ABC2' });
  const res = await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC1/inbox', { authorization: auth });
  expectMeshError(res, 403, '403');
  expect(detail(res)).toBe('Mailbox id does not match token');
  const sent = await refusedSend(makeAuthorization({ ...creds, mailboxId: 'X26ABC3' }), 'X26ABC1');
  expect(detail(sent)).toBe('Mailbox id does not match token');
});

test('v1 clients get the v1 error shape', async () => {
  const res = await meshRequest(hub.url, 'GET', '/messageexchange/X26ABC1/inbox', { authorization: null, headers: { accept: 'application/json' } });
  expect(res.status).toBe(403);
  expect(res.json()).toMatchObject({ errorEvent: 'AUTH', errorCode: '403', errorDescription: expect.any(String) });
});

test.each([
  ['GET', '/messageexchange/X26ABC1'],
  ['POST', '/messageexchange/X26ABC1'],
  ['GET', '/messageexchange/X26ABC1/inbox'],
  ['GET', '/messageexchange/X26ABC1/count'],
  ['GET', '/messageexchange/X26ABC1/inbox/20200101000000000000_000000'],
  ['PUT', '/messageexchange/X26ABC1/inbox/20200101000000000000_000000/status/acknowledged'],
  ['POST', '/messageexchange/X26ABC1/outbox/20200101000000000000_000000/2'],
  ['GET', '/messageexchange/X26ABC1/outbox/tracking?messageID=20200101000000000000_000000'],
  ['GET', '/messageexchange/endpointlookup/X26/TEST_WORKFLOW'],
  ['GET', '/messageexchange/workflowsearch/TEST_WORKFLOW'],
])('%s %s needs a token', async (method, path) => {
  expectMeshError(await meshRequest(hub.url, method, path, { authorization: null, body: method === 'POST' ? 'x' : undefined }), 403, '403');
});

test('HEAD without a token is a bare 403', async () => {
  const res = await meshRequest(hub.url, 'HEAD', '/messageexchange/X26ABC1/inbox/20200101000000000000_000000', { authorization: null });
  expect([res.status, res.text]).toEqual([403, '']);
});
