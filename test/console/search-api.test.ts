import type { Redis } from 'ioredis';
import { notificationSuffix, orderSuffix } from '../../engine/pipeline/notification-worker.js';
import { replyId } from '../../engine/pipeline/replies.js';
import { SearchKeys } from '../../engine/search/search-keys.js';
import { type TestHub, testRedis } from '../support/hub.js';
import { attendanceXml, client, collect, LA706, NHS, planFile, planRecord, startCpisHub } from '../support/cpis.js';
import { Staff, until } from './staff.js';

interface Found { id: string; from: string; to: string; workflowId: string; localId?: string; status: string }

/** Real messages through the real hub's MESH API and workers, then found through the console as staff would. */
describe('the console API on message search and browsing', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: SearchKeys;
  let viewer: Staff;
  let admin: Staff;
  let attendance: string;
  let plan: string;
  const started = Date.now();

  const search = async (query: Record<string, string | number>) => {
    const answer = await viewer.get('/messages', query);
    expect(answer.status).toBe(200);
    return answer.body as { items: Found[]; next?: string; nhsNumber?: string };
  };
  const ids = async (query: Record<string, string | number>) => (await search(query)).items.map((m) => m.id);

  beforeAll(async () => {
    hub = await startCpisHub();
    redis = testRedis();
    keys = new SearchKeys(hub.keyPrefix);
    [viewer, admin] = await Promise.all([Staff.login(hub.url, 'viewer'), Staff.login(hub.url, 'admin')]);
    const trust = client(hub, 'RR8PAS');
    attendance = await trust.send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(NHS[0], 'ATT-SEARCH'), localId: 'ATT-SEARCH' });
    plan = await client(hub, 'LA706CSC').send({
      to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA706, 1, [planRecord(NHS[1]), planRecord(NHS[2])]), localId: 'PLAN-SEARCH',
    });
    await collect(trust, 1); // the flag response, downloaded and acknowledged by the trust
    await until(async () => (await ids({ nhsNumber: NHS[2] })).length > 0, 15_000);
  }, 60_000);

  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  test('indexes each message when it is accepted, newest first, with its state read from the store', async () => {
    const all = (await search({ limit: 200 })).items;
    const flag = all.find((m) => m.workflowId === 'CPIS_ATTENDANCE_RESPONSE')!;
    expect(flag).toMatchObject({ from: 'X26HUB', to: 'RR8PAS', localId: 'ATT-SEARCH', status: 'acknowledged' });
    expect(all.map((m) => m.id)).toEqual(expect.arrayContaining([attendance, plan, flag.id]));
    expect(await redis.zscore(keys.all(), attendance)).not.toBeNull();
    const times = all.map((m) => Date.parse((m as unknown as { acceptedAt: string }).acceptedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test('finds by message id, local id, workflow, sender and recipient, and by all of them together', async () => {
    expect(await ids({ messageId: attendance.toLowerCase() })).toEqual([attendance]);
    expect(await ids({ messageId: attendance, workflow: 'CPIS_PLAN_UPDATE' })).toEqual([]);
    expect((await ids({ localId: 'ATT-SEARCH' })).sort()).toEqual([attendance, `${attendance}_FLAG`].sort());
    expect(await ids({ localId: 'ATT-SEARC' })).toEqual([]);
    expect(await ids({ workflow: 'CPIS_PLAN_UPDATE' })).toEqual([plan]);
    expect(await ids({ from: 'la706csc' })).toContain(plan);
    expect(await ids({ to: 'RR8PAS', workflow: 'CPIS_ATTENDANCE_RESPONSE', localId: 'ATT-SEARCH' })).toEqual([`${attendance}_FLAG`]);
    expect(await ids({ from: 'RR8PAS', to: 'X26HUB', workflow: 'CPIS_PLAN_UPDATE' })).toEqual([]);
  });

  test('finds by NHS number as people type it, masks it, and audits the search', async () => {
    const spaced = `${NHS[0].slice(0, 3)} ${NHS[0].slice(3, 6)}-${NHS[0].slice(6)}`;
    const answer = await viewer.get('/messages', { nhsNumber: spaced });
    expect(answer.body.items.map((m: Found) => m.id)).toEqual([replyId(attendance, 'FLAG'), attendance]); // the flag response names the child too
    expect(answer.body.nhsNumber).toBe(`*******${NHS[0].slice(-3)}`);
    expect(answer.text).not.toContain(NHS[0]);
    expect(await ids({ nhsNumber: NHS[1] })).toEqual([plan]); // one of a plan file's records
    const refused = await viewer.get('/messages', { nhsNumber: '1234567890' });
    expect([refused.status, refused.body.code]).toEqual([400, 'INVALID_NHS_NUMBER']);
    const audited = (await admin.get('/audit', { action: 'messages-by-nhs-number' })).body.items as { detail: string; outcome: string; user: string }[];
    expect(audited.map((e) => [e.user, e.outcome])).toEqual([
      ['viewer', 'INVALID_NHS_NUMBER'], ['viewer', 'ok'], ['viewer', 'ok'], ['viewer', 'ok'],
    ]);
    expect(JSON.stringify(audited)).not.toContain(NHS[0]);
    await viewer.get('/messages', { workflow: 'CPIS_PLAN_UPDATE' }); // names no patient: not audited
    expect((await admin.get('/audit', { action: 'messages-by-nhs-number' })).body.items).toHaveLength(audited.length);
  });

  test('narrows by time, pages with a cursor, and answers bad requests with codes', async () => {
    const after = new Date(Date.now() + 60_000).toISOString();
    expect(await ids({ since: after })).toEqual([]);
    expect(await ids({ until: new Date(started - 60_000).toISOString() })).toEqual([]);
    expect(await ids({ since: new Date(started).toISOString(), workflow: 'CPIS_ATTENDANCE' })).toEqual([attendance]);
    const everything = await ids({ limit: 200 });
    const first = await search({ limit: 2 });
    const second = await search({ limit: 200, cursor: first.next! });
    expect([...first.items.map((m) => m.id), ...second.items.map((m) => m.id)]).toEqual(everything);
    expect(second.next).toBeUndefined();
    for (const [query, code] of [[{ since: 'yesterday' }, 'BAD_REQUEST'], [{ colour: 'red' }, 'BAD_REQUEST'],
      [{ since: after, until: new Date().toISOString() }, 'BAD_REQUEST']] as const) {
      const answer = await viewer.get('/messages', query);
      expect([answer.status, answer.body.code]).toEqual([400, code]);
    }
    expect((await new Staff(`${hub.url}/console/api`).get('/messages')).status).toBe(401);
  });

  test('opens an acknowledged message by id, masked, with its journey; unmasking is audited', async () => {
    const detail = (await viewer.get(`/messages/${attendance}_FLAG`)).body;
    expect(detail.message).toMatchObject({ status: 'acknowledged', to: 'RR8PAS', workflowId: 'CPIS_ATTENDANCE_RESPONSE' });
    expect(detail.failed).toBe(false);
    expect(detail.xml).not.toContain(NHS[0]);
    expect(detail.journey.length).toBeGreaterThan(0);
    const unmasked = await admin.post(`/messages/${attendance}_FLAG/unmask`);
    expect(unmasked.body.xml).toContain(NHS[0]);
    const audit = (await admin.get('/audit', { action: 'unmask', messageId: `${attendance}_FLAG` })).body.items;
    expect(audit).toHaveLength(1);
  });

  test('lists an inbox oldest first and pages past a page', async () => {
    const trust = client(hub, 'RR8PAS');
    for (const n of [1, 2]) await trust.send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(NHS[n], `ATT-WAIT-${n}`), localId: `ATT-WAIT-${n}` });
    const box = await until(async () => {
      const answer = (await viewer.get('/mailboxes/rr8pas', { limit: 1 })).body;
      return answer.depth >= 2 ? answer : undefined;
    }, 15_000);
    expect(box.messages).toHaveLength(1);
    const rest = (await viewer.get('/mailboxes/RR8PAS', { limit: 100, after: box.next })).body;
    expect(rest.messages).toHaveLength(1);
    expect(rest.next).toBeUndefined();
    const localIds = [box.messages[0], rest.messages[0]].map((m: { id: string }) => m.id);
    expect(localIds).toEqual([...localIds].sort());
  });

  test("finds the hub's own flag response, notification order and LA notification by the NHS number they name", async () => {
    const [waiting] = await ids({ localId: 'ATT-WAIT-1', workflow: 'CPIS_ATTENDANCE' }); // sent by the test before, for a child with a plan at LA 706
    const expected = [plan, waiting, ...['FLAG', orderSuffix(LA706.ods), notificationSuffix(LA706.ods)].map((suffix) => replyId(waiting, suffix))];
    const found = await until(async () => {
      const answer = await ids({ nhsNumber: NHS[1], limit: 50 });
      return answer.length >= expected.length ? answer : undefined;
    }, 15_000);
    expect([...found].sort()).toEqual([...expected].sort());
  });

  test('prunes with content retention: the expiry sweep trims the index', async () => {
    const later = Date.now() + 31 * 86_400_000;
    expect(await redis.zcard(keys.all())).toBeGreaterThan(0);
    expect(await redis.pttl(keys.field('localId', 'ATT-SEARCH'))).toBeGreaterThan(29 * 86_400_000);
    await hub.sweeper.sweep(later);
    expect(await redis.zcard(keys.all())).toBe(0);
    expect(await redis.zcard(keys.field('workflow', 'CPIS_ATTENDANCE'))).toBe(0);
    expect(await redis.scard(keys.shared())).toBe(0);
  });
});
