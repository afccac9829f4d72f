import type { Redis } from 'ioredis';
import { AuditLog } from '../../engine/console/audit.js';
import { UNREADABLE } from '../../engine/console/masking.js';
import { ConsoleKeys } from '../../engine/console/keys.js';
import { RegisterKeys } from '../../engine/register/keys.js';
import { type TestHub, testRedis } from '../support/hub.js';
import { attendanceXml, client, NHS, startCpisHub } from '../support/cpis.js';
import { holdFailures, heldFor, SCRIPT_XML, sendToHub } from './held-failures.js';
import { Staff, until } from './staff.js';

/** Real failures made by the real workers, then worked on through the API as staff would. */
describe('the console API on failed messages', () => {
  let hub: TestHub;
  let redis: Redis;
  let viewer: Staff;
  let operator: Staff;
  let admin: Staff;
  const ids: Record<'script' | 'broken' | 'plan', string> = { script: '', broken: '', plan: '' };

  const trust = () => client(hub, 'RR8PAS');
  const send = sendToHub;
  const failed = async (query: Record<string, string | number> = {}) => (await operator.get('/failed', { limit: 500, ...query })).body;
  const held = (localId: string, attempts = 1) => heldFor(operator, localId, attempts);
  const audited = async (query: Record<string, string>) => (await viewer.get('/audit', query)).body.items;
  /** A person key of the wrong type makes the register lookup fail: a real transient fault. */
  const person = () => new RegisterKeys(hub.keyPrefix).person(NHS[1]);

  /** Waits for the flag response to an attendance, leaving the trust's inbox as it is. */
  const flagFor = (localId: string) => until(async () => {
    const mesh = trust();
    for await (const id of mesh.inboxIds()) {
      const message = await mesh.download(id);
      if (message.headers.workflowId === 'CPIS_ATTENDANCE_RESPONSE' && message.headers.localId === localId) return message;
    }
    return undefined;
  }, 15_000);

  beforeAll(async () => {
    hub = await startCpisHub();
    redis = testRedis();
    [viewer, operator, admin] = await Promise.all(['viewer', 'operator', 'admin'].map((u) => Staff.login(hub.url, u)));
    Object.assign(ids, await holdFailures(hub, operator));
  }, 30_000);

  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  test('finds failed messages exactly by message id, local id or NHS number (in the stored XML)', async () => {
    const found = async (q: string) => (await failed({ q })).items.map((m: { messageId: string }) => m.messageId);
    expect(await found(ids.script)).toEqual([ids.script]);
    expect(await found('ATT-BROKEN')).toEqual([ids.broken]);
    expect(await found(NHS[0])).toEqual([ids.script]);
    expect(await found('968 917 7621')).toEqual([ids.script]);
    expect(await found(NHS[2])).toEqual([ids.plan]); // inside a plan update file that fails its schema
    expect(await found('ATT-SCRIP')).toEqual([]); // exact, not a substring
  });

  test('filters by workflow, sender, recipient, reason and time; sorts and pages', async () => {
    const only = async (query: Record<string, string>) => (await failed(query)).items.map((m: { messageId: string }) => m.messageId);
    expect(await only({ workflow: 'CPIS_PLAN_UPDATE' })).toEqual([ids.plan]);
    expect(await only({ sender: 'LA706CSC' })).toEqual([ids.plan]);
    expect(await only({ reason: 'NOT_READABLE' })).toEqual([ids.broken]);
    expect((await only({ sender: 'RR8PAS', recipient: 'X26HUB' })).sort()).toEqual([ids.script, ids.broken].sort());
    expect(await only({ recipient: 'LA706CSC' })).toEqual([]);
    expect(await only({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect(await only({ to: new Date(Date.now() - 3600_000).toISOString() })).toEqual([]);
    expect(await only({ sort: 'receivedAt', order: 'asc' })).toEqual([ids.script, ids.broken, ids.plan]);
    expect(await only({ sort: 'receivedAt', order: 'desc' })).toEqual([ids.plan, ids.broken, ids.script]);
    const pages = await Promise.all([0, 1, 2].map((offset) => failed({ sort: 'receivedAt', order: 'asc', limit: 1, offset })));
    expect(pages.map((p) => [p.total, p.items[0].messageId])).toEqual([[3, ids.script], [3, ids.broken], [3, ids.plan]]);
    const bad = await operator.get('/failed', { limit: 0, sort: 'size' });
    expect([bad.status, bad.body.code]).toEqual([400, 'BAD_REQUEST']);
    expect(bad.body.message).toMatch(/limit/);
  });

  test('a summary says where the message came from and why it failed', async () => {
    const [summary] = (await failed({ q: ids.script })).items;
    expect(summary).toEqual({
      messageId: ids.script, queue: 'attendance', workflowId: 'CPIS_ATTENDANCE', from: 'RR8PAS', to: 'X26HUB', localId: 'ATT-SCRIPT',
      receivedAt: expect.any(String), failedAt: expect.any(String), reason: 'SCHEMA_INVALID', attempts: 1, nhsNumber: '*******621',
    });
  });

  test('masks NHS numbers and names: they are nowhere in what a viewer or operator receives', async () => {
    for (const staff of [viewer, operator]) {
      const detail = await staff.get(`/messages/${ids.script}`);
      const list = await staff.get('/failed', { q: NHS[0] });
      for (const answer of [detail, list]) {
        expect(answer.status).toBe(200);
        for (const secret of [NHS[0], 'Testchild', 'Alex', '2015-03-01']) expect(answer.text).not.toContain(secret);
      }
      expect(detail.body.masked).toBe(true);
      expect(detail.body.xml).toContain('<nhsNumber>*******621</nhsNumber>');
      expect(detail.body.xml).toContain('<familyName>***</familyName>');
    }
  });

  test('a message detail: metadata, every attempt, the journey with its replies, and the text', async () => {
    const { body } = await viewer.get(`/messages/${ids.broken}`);
    expect(body.message).toMatchObject({ id: ids.broken, from: 'RR8PAS', to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', localId: 'ATT-BROKEN', status: 'accepted', size: 8 });
    // Text that cannot be read as XML cannot be masked, so it is not shown (admins may unmask it).
    expect(body).toMatchObject({ failed: true, reason: 'NOT_READABLE', xml: UNREADABLE });
    expect(body.attempts).toEqual([expect.objectContaining({ attempt: 1, code: 'NOT_READABLE', permanent: true })]);
    expect(body.journey.map((s: { event: string }) => s.event)).toEqual(['accepted', 'attempt', 'reply']);
    expect(body.journey[2]).toMatchObject({ messageId: `${ids.broken}_R15`, detail: 'report 15 to RR8PAS' });
    const missing = await viewer.get('/messages/NO_SUCH_MESSAGE');
    expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  test('XML carrying <script> comes back as JSON text, never markup; unmasking is for admins and audited', async () => {
    for (const staff of [viewer, operator]) {
      const refused = await staff.post(`/messages/${ids.script}/unmask`);
      expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    }
    const answer = await admin.post(`/messages/${ids.script}/unmask`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.text).not.toContain('<script');
    expect(answer.body.xml).toContain('<script>alert(1)</script>');
    expect(answer.body.xml).toContain(`<nhsNumber>${NHS[0]}</nhsNumber>`);
    const events = await audited({ action: 'unmask', messageId: ids.script });
    expect(events.map((e: { user: string; outcome: string }) => [e.user, e.outcome])).toEqual([['admin', 'ok'], ['operator', 'FORBIDDEN'], ['viewer', 'FORBIDDEN']]);
    expect(events[0]).toMatchObject({ ip: '127.0.0.1', messageIds: [ids.script], at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  test('a viewer can change nothing and an operator cannot edit; each refusal is audited and changes nothing', async () => {
    const id = ids.broken;
    const tries: [Staff, string, unknown][] = [
      [viewer, `/messages/${id}/replay`, undefined],
      [viewer, `/messages/${id}/discard`, { reason: 'no' }],
      [viewer, `/messages/${id}/edit-replay`, { xml: '<x/>' }],
      [viewer, '/replay-bulk', { filter: {}, confirm: 'REPLAY 3' }],
      [operator, `/messages/${id}/edit-replay`, { xml: '<x/>' }],
    ];
    for (const [staff, path, body] of tries) {
      const answer = await staff.post(path, body);
      expect([path, answer.status, answer.body.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    const refusals = (await audited({ messageId: id })).filter((e: { outcome: string }) => e.outcome === 'FORBIDDEN');
    expect(refusals.map((e: { user: string; action: string }) => `${e.user} ${e.action}`).sort())
      .toEqual(['operator edit-replay', 'viewer discard', 'viewer edit-replay', 'viewer replay']);
    expect((await audited({ action: 'replay-bulk', user: 'viewer' }))[0].outcome).toBe('FORBIDDEN');
    expect((await failed({ q: id })).total).toBe(1);
  });

  test('edit-and-replay: an edit failing the XSD is refused with details; a valid one is processed and linked', async () => {
    const invalid = await admin.post(`/messages/${ids.script}/edit-replay`, { xml: SCRIPT_XML });
    expect([invalid.status, invalid.body.code]).toEqual([422, 'SCHEMA_INVALID']);
    expect(invalid.body.details.join('\n')).toMatch(/script/);
    // A schema complaint is listed once: the first detail names the schema, the rest say what is wrong.
    const wrongCode = attendanceXml(NHS[0], 'ATT-SCRIPT').replace('<departmentType>01</departmentType>', '<departmentType>X1</departmentType>');
    const complaint = await admin.post(`/messages/${ids.script}/edit-replay`, { xml: wrongCode });
    expect([complaint.status, complaint.body.code]).toEqual([422, 'SCHEMA_INVALID']);
    expect(complaint.body.details).toEqual(['does not match attendance.xsd', expect.stringMatching(/^line \d+: .*departmentType/)]);
    expect((await failed({ q: ids.script })).total).toBe(1);

    const edited = await admin.post(`/messages/${ids.script}/edit-replay`, { xml: attendanceXml(NHS[0], 'ATT-SCRIPT') });
    expect(edited.body).toEqual({ messageId: `${ids.script}_EDIT`, editedFrom: ids.script });
    const flag = await flagFor('ATT-SCRIPT');
    expect(flag.headers.linkedMsgId).toBe(`${ids.script}_EDIT`);
    expect(flag.body.toString()).toContain(NHS[0]);

    const original = (await viewer.get(`/messages/${ids.script}`)).body;
    expect(original).toMatchObject({ failed: false, editedCopy: `${ids.script}_EDIT` });
    expect(original.journey.map((s: { event: string }) => s.event)).toContain('edited');
    const copy = (await viewer.get(`/messages/${ids.script}_EDIT`)).body;
    expect(copy).toMatchObject({ failed: false, editedFrom: ids.script, message: { from: 'RR8PAS', localId: 'ATT-SCRIPT', status: 'acknowledged' } });
    expect(copy.journey).toContainEqual(expect.objectContaining({ event: 'reply', messageId: `${ids.script}_EDIT_FLAG` }));
    expect((await failed({ q: ids.script })).total).toBe(0);
    const events = await audited({ action: 'edit-replay', messageId: ids.script });
    expect(events.map((e: { outcome: string }) => e.outcome)).toEqual(['ok', 'SCHEMA_INVALID', 'SCHEMA_INVALID']);
    expect(events[0]).toMatchObject({ user: 'admin', messageIds: [ids.script, `${ids.script}_EDIT`] });
    const again = await admin.post(`/messages/${ids.script}/edit-replay`, { xml: attendanceXml(NHS[0], 'ATT-SCRIPT') });
    expect([again.status, again.body.code]).toEqual([409, 'NOT_FAILED']);
  }, 30_000);

  test('replay: a message held after a transient fault is replayed once fixed and its reply is delivered', async () => {
    await redis.set(person(), 'not a hash');
    const id = await send(trust(), 'CPIS_ATTENDANCE', attendanceXml(NHS[1], 'ATT-TRANSIENT'), 'ATT-TRANSIENT');
    expect((await held('ATT-TRANSIENT', 3)).reason).toBe('TRANSIENT');
    await redis.del(person());
    const replayed = await operator.post(`/messages/${id}/replay`);
    expect(replayed.body).toEqual({ messageId: id });
    await flagFor('ATT-TRANSIENT');
    expect((await failed({ q: id })).total).toBe(0);
    const journey = (await viewer.get(`/messages/${id}`)).body.journey.map((s: { event: string }) => s.event);
    expect(journey.slice(0, 5)).toEqual(['accepted', 'attempt', 'attempt', 'attempt', 'replayed']);
    expect(journey.slice(5).sort()).toEqual(['acknowledged', 'reply']); // the flag, and the worker's acknowledgement of the attendance
    const twice = await operator.post(`/messages/${id}/replay`);
    expect([twice.status, twice.body.code]).toEqual([409, 'NOT_FAILED']);
    expect((await audited({ action: 'replay', messageId: id })).map((e: { user: string; outcome: string }) => `${e.user} ${e.outcome}`))
      .toEqual(['operator NOT_FAILED', 'operator ok']);
  }, 30_000);

  test('discard needs a reason, takes the message out of the failed list and records why', async () => {
    const bare = await operator.post(`/messages/${ids.broken}/discard`, {});
    expect([bare.status, bare.body.code]).toEqual([400, 'BAD_REQUEST']);
    const done = await operator.post(`/messages/${ids.broken}/discard`, { reason: 'trust resent it as ATT-9' });
    expect(done.status).toBe(204);
    expect((await failed({ q: ids.broken })).total).toBe(0);
    const detail = (await viewer.get(`/messages/${ids.broken}`)).body;
    expect(detail.failed).toBe(false);
    expect(detail.journey).toContainEqual(expect.objectContaining({ event: 'discarded', detail: 'by operator: trust resent it as ATT-9' }));
    const events = await audited({ action: 'discard', messageId: ids.broken, user: 'operator' });
    expect(events.map((e: { outcome: string; detail?: string }) => [e.outcome, e.detail])).toEqual([['ok', 'trust resent it as ATT-9'], ['BAD_REQUEST', undefined]]);
  });

  test('bulk replay: the typed confirmation must name how many match; progress runs to finished', async () => {
    await redis.set(person(), 'not a hash');
    const bulkIds = [
      await send(trust(), 'CPIS_ATTENDANCE', attendanceXml(NHS[1], 'ATT-BULK-1'), 'ATT-BULK-1'),
      await send(trust(), 'CPIS_ATTENDANCE', attendanceXml(NHS[1], 'ATT-BULK-2'), 'ATT-BULK-2'),
    ];
    await Promise.all(['ATT-BULK-1', 'ATT-BULK-2'].map((l) => held(l, 3)));
    await redis.del(person());
    const filter = { reason: 'TRANSIENT' };
    const wrong = await operator.post('/replay-bulk', { filter, confirm: 'REPLAY 5' });
    expect([wrong.status, wrong.body.code]).toEqual([400, 'CONFIRMATION_MISMATCH']);
    expect(wrong.body.message).toContain('REPLAY 2');
    const started = await operator.post('/replay-bulk', { filter, confirm: 'REPLAY 2' });
    expect(started.body).toEqual({ operationId: expect.any(String), total: 2 });
    const progress = await until(async () => {
      const p = (await viewer.get(`/operations/${started.body.operationId}`)).body;
      return p.state === 'finished' ? p : undefined;
    });
    expect(progress).toEqual({ total: 2, done: 2, failed: 0, state: 'finished' });
    await Promise.all([flagFor('ATT-BULK-1'), flagFor('ATT-BULK-2')]);
    const events = await audited({ user: 'operator', action: 'replay-bulk' });
    expect(events.map((e: { outcome: string }) => e.outcome).slice(0, 2)).toEqual(['ok', 'CONFIRMATION_MISMATCH']);
    expect([...events[0].messageIds].sort()).toEqual([...bulkIds].sort());
    const finished = await until(async () => (await audited({ action: 'replay-bulk-finished' }))[0]);
    expect(finished.detail).toBe(`operation ${started.body.operationId}: 2 replayed, 0 could not be`);
    expect((await viewer.get('/operations/no-such-operation')).status).toBe(404);
  }, 30_000);

  test('overview and mailboxes: depths, oldest age, queues, the last hour and failures by reason', async () => {
    const { body } = await viewer.get('/overview');
    const hubBox = body.mailboxes.find((m: { id: string }) => m.id === 'X26HUB');
    expect(hubBox).toEqual({ id: 'X26HUB', organisation: 'X26', depth: 1, oldestAgeSeconds: expect.any(Number) }); // the failed plan
    expect(body.queues).toContainEqual({ name: 'planUpdate', waiting: 0, active: 0, delayed: 0, failed: 1 });
    expect(body.perMinute).toHaveLength(60);
    const completed = body.perMinute.reduce((n: number, m: { completed: number }) => n + m.completed, 0);
    expect(completed).toBeGreaterThanOrEqual(4); // the edited copy, the replayed and two bulk-replayed attendances
    expect(body.failures24h).toEqual([{ reason: 'SCHEMA_INVALID', count: 1 }]);
    const mailbox = (await viewer.get('/mailboxes/X26HUB')).body;
    expect(mailbox.messages).toEqual([expect.objectContaining({ id: ids.plan, from: 'LA706CSC', workflowId: 'CPIS_PLAN_UPDATE' })]);
    expect((await viewer.get('/mailboxes')).body.map((m: { id: string }) => m.id).sort()).toEqual(['LA706CSC', 'LA708CSC', 'LA709CSC', 'RR8PAS', 'X26HUB']);
    expect((await viewer.get('/mailboxes/NOPE')).status).toBe(404);
  });

  test('the vocabulary of the filters comes from the hub: workflows, mailboxes, reasons, audit actions', async () => {
    const words = (await viewer.get('/vocabulary')).body;
    expect(words.workflows).toEqual(expect.arrayContaining(['CPIS_ATTENDANCE', 'CPIS_PLAN_UPDATE_ACK']));
    expect(words.mailboxes).toEqual(expect.arrayContaining(['X26HUB', 'RR8PAS', 'LA706CSC']));
    expect(words.reasons).toEqual(expect.arrayContaining(['HUB_CONFIGURATION', 'SCHEMA_INVALID', 'TRANSIENT']));
    expect(words.actions).toEqual(expect.arrayContaining(['replay', 'discard', 'unmask']));
  });

  test('the audit trail the API wrote is an unbroken chain', async () => {
    expect((await audited({ user: 'admin' })).length).toBeGreaterThan(0);
    const check = await new AuditLog(redis, new ConsoleKeys(hub.keyPrefix)).verify();
    expect(check).toMatchObject({ ok: true });
  });
});
