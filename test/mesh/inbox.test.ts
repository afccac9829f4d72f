import { startTestHub, type TestHub } from '../support/hub.js';
import { meshRequest } from '../support/mesh-http.js';
import { acknowledge, download, inboxCount, inboxIds, sendId, tracking } from '../support/mesh-flow.js';

let hub: TestHub;
beforeAll(async () => { hub = await startTestHub(); });
afterAll(async () => { await hub.stop(); });

const V1 = { accept: 'application/vnd.mesh.v1+json' };
const get = (mailbox: string, path: string, headers: Record<string, string> = {}) =>
  meshRequest(hub.url, 'GET', path, { mailbox, headers });
const ack = (mailbox: string, id: string, headers: Record<string, string> = {}) => acknowledge(hub.url, mailbox, id, headers);

/** Every id a v2 client collects by following links.next from the first page until it is absent. */
async function followPages(mailbox: string, first: string): Promise<{ pages: string[][]; links: string[] }> {
  const pages: string[][] = [];
  const links: string[] = [];
  let path: string | undefined = first;
  while (path) {
    const res = await get(mailbox, path);
    expect(res.status).toBe(200);
    pages.push(res.json().messages);
    path = res.json().links.next;
    if (path) links.push(path);
    if (pages.length > 20) throw new Error('links.next never ends');
  }
  return { pages, links };
}

describe('listing and pagination (X26ABC3, used by nothing else in this file)', () => {
  let sent: string[];
  beforeAll(async () => {
    sent = [];
    for (let i = 0; i < 25; i += 1) sent.push(await sendId(hub.url, `page ${i}`, { to: 'X26ABC3' }));
  });

  test('v2 lists ids in arrival order with links and an approximate count', async () => {
    const res = await get('X26ABC3', '/messageexchange/X26ABC3/inbox');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/vnd.mesh.v2+json');
    expect(res.json()).toEqual({
      messages: sent,
      links: { self: expect.stringMatching(/^\/messageexchange\/X26ABC3\/inbox\b/) },
      approx_inbox_count: 25,
    });
  });

  test('v1 lists the same ids as {messages} only', async () => {
    const res = await get('X26ABC3', '/messageexchange/X26ABC3/inbox', V1);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.json()).toEqual({ messages: sent });
  });

  test('max_results pages through everything by relative links.next, which disappears on the last page', async () => {
    const { pages, links } = await followPages('X26ABC3', '/messageexchange/X26ABC3/inbox?max_results=10');
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(sent);
    for (const link of links) {
      expect(link).toMatch(/^\/messageexchange\/X26ABC3\/inbox\?/);
      expect(new URLSearchParams(link.split('?')[1]).get('max_results')).toBe('10');
    }
  });

  test('continue_from also works for a v1 client given the last id it saw', async () => {
    const res = await get('X26ABC3', `/messageexchange/X26ABC3/inbox?max_results=10&continue_from=${sent[19]}`, V1);
    expect(res.json().messages).toEqual(sent.slice(20));
  });

  test('a page that holds exactly what is left has no next link', async () => {
    const res = await get('X26ABC3', `/messageexchange/X26ABC3/inbox?max_results=10&continue_from=${sent[14]}`);
    expect(res.json().messages).toEqual(sent.slice(15));
    expect(res.json().links.next).toBeUndefined();
  });

  test('count answers v2 {count} and v1 {count, allResultsIncluded}', async () => {
    const v2 = await get('X26ABC3', '/messageexchange/X26ABC3/count');
    expect(v2.json()).toEqual({ count: 25 });
    const v1 = await get('X26ABC3', '/messageexchange/X26ABC3/count', V1);
    expect(v1.json()).toEqual({ count: 25, internalID: expect.any(String), allResultsIncluded: true });
  });
});

describe('workflow filters over HTTP (X26ABC1\'s inbox)', () => {
  let plain: string[];
  let acks: string[];
  beforeAll(async () => {
    plain = [];
    acks = [];
    for (let i = 0; i < 6; i += 1) {
      plain.push(await sendId(hub.url, `wf ${i}`, { from: 'X26ABC2', to: 'X26ABC1' }));
      acks.push(await sendId(hub.url, `ack ${i}`, { from: 'X26ABC2', to: 'X26ABC1', workflow: 'TEST_WORKFLOW_ACK' }));
    }
  });
  const filtered = async (filter: string) =>
    (await get('X26ABC1', `/messageexchange/X26ABC1/inbox?workflow_filter=${encodeURIComponent(filter)}`)).json().messages;

  test.each([
    ['WF', 'TEST_WORKFLOW', 'plain'],
    ['!WF', '!TEST_WORKFLOW', 'acks'],
    ['WF*', 'TEST_WORKFLOW*', 'both'],
    ['!WF*', '!TEST_WORKFLOW*', 'none'],
    ['*X*', '*_ACK*', 'acks'],
    ['!*X*', '!*_ACK*', 'plain'],
  ])('%s (%s)', async (_kind, filter, expected) => {
    const want = { plain, acks, both: [...plain, ...acks].sort(), none: [] }[expected];
    expect(await filtered(filter)).toEqual(want);
  });

  test('a filtered listing pages too, and its links keep the filter', async () => {
    const { pages, links } = await followPages('X26ABC1', '/messageexchange/X26ABC1/inbox?max_results=10&workflow_filter=*_ACK*');
    expect(pages.flat()).toEqual(acks);
    expect(links).toEqual([]);
    const all = await followPages('X26ABC1', '/messageexchange/X26ABC1/inbox?max_results=10&workflow_filter=TEST*');
    expect(all.pages.map((p) => p.length)).toEqual([10, 2]);
    expect(new URLSearchParams(all.links[0].split('?')[1]).get('workflow_filter')).toBe('TEST*');
  });
});

describe('download, HEAD and acknowledge (X26ABC2)', () => {
  test('download gives the body and mex headers; HEAD gives the headers and no body', async () => {
    const id = await sendId(hub.url, 'read me', { headers: { 'mex-localid': 'dl-1' } });
    const got = await download(hub.url, 'X26ABC2', id);
    expect([got.status, got.text]).toEqual([200, 'read me']);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    const head = await meshRequest(hub.url, 'HEAD', `/messageexchange/X26ABC2/inbox/${id}`, { mailbox: 'X26ABC2' });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers.get('mex-messageid')).toBe(id);
    expect(head.headers.get('mex-localid')).toBe('dl-1');
    expect(head.headers.get('mex-from')).toBe('X26ABC1');
    expect(await inboxIds(hub.url, 'X26ABC2')).toContain(id);
  });

  test('acknowledge takes the message out of the inbox once; twice is harmless (v2 empty body, v1 {messageId})', async () => {
    const id = await sendId(hub.url, 'ack me');
    const before = await inboxCount(hub.url, 'X26ABC2');
    const first = await ack('X26ABC2', id);
    expect([first.status, first.text]).toEqual([200, '']);
    expect(await inboxCount(hub.url, 'X26ABC2')).toBe(before - 1);
    expect(await inboxIds(hub.url, 'X26ABC2')).not.toContain(id);
    const again = await ack('X26ABC2', id, V1);
    expect([again.status, again.json()]).toEqual([200, { messageId: id }]);
    expect(await inboxCount(hub.url, 'X26ABC2')).toBe(before - 1);
  });

  test('an acknowledged message can still be downloaded by its recipient', async () => {
    const id = await sendId(hub.url, 'again please');
    await ack('X26ABC2', id);
    const got = await download(hub.url, 'X26ABC2', id);
    expect([got.status, got.text]).toEqual([200, 'again please']);
  });

  test('a message id in lower case is the same message', async () => {
    const id = await sendId(hub.url, 'lower');
    expect((await download(hub.url, 'X26ABC2', id.toLowerCase())).text).toBe('lower');
    expect((await ack('X26ABC2', id.toLowerCase())).status).toBe(200);
    expect(await inboxIds(hub.url, 'X26ABC2')).not.toContain(id);
  });
});

describe('a message left uncollected past its time', () => {
  let expiring: TestHub;
  let id: string;
  beforeAll(async () => {
    expiring = await startTestHub();
    id = await sendId(expiring.url, 'nobody reads this');
    await expiring.sweeper.sweep(Date.now() + 6 * 86_400_000);
  });
  afterAll(async () => { await expiring.stop(); });

  test('leaves the inbox, and download, HEAD and acknowledge answer 410', async () => {
    expect(await inboxIds(expiring.url, 'X26ABC2')).toEqual([]);
    const got = await download(expiring.url, 'X26ABC2', id);
    expect([got.status, got.json().detail[0].code]).toEqual([410, '20']);
    expect((await meshRequest(expiring.url, 'HEAD', `/messageexchange/X26ABC2/inbox/${id}`, { mailbox: 'X26ABC2' })).status).toBe(410);
    expect((await acknowledge(expiring.url, 'X26ABC2', id)).status).toBe(410);
  });

  test('its sender tracks it as undeliverable and finds a REPORT (14) in its own inbox', async () => {
    const tracked = await tracking(expiring.url, id);
    expect(tracked.json()).toMatchObject({ message_id: id, status: 'undeliverable', status_success: false, status_code: '14' });
    const [reportId] = await inboxIds(expiring.url, 'X26ABC1');
    const report = await download(expiring.url, 'X26ABC1', reportId);
    expect([report.status, report.text]).toEqual([200, '']);
    expect(Object.fromEntries(report.headers)).toMatchObject({
      'mex-messagetype': 'REPORT', 'mex-linkedmsgid': id, 'mex-statuscode': '14', 'mex-statussuccess': 'ERROR', 'mex-to': 'X26ABC2',
    });
  });
});
