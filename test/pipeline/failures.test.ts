import type { Redis } from 'ioredis';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { RegisterKeys } from '../../engine/register/keys.js';
import { nhsNumbers } from '../../scripts/sample-exchange.js';
import { sleep, until } from '../support/wait.js';
import { deleteKeys, type TestHub, testRedis } from '../support/hub.js';
import { attendanceXml, client, collect, LA706, LA708, NHS, planFile, planRecord, sampleWorkflows, startCpisHub } from '../support/cpis.js';



const heldFor = (hub: TestHub, localId: string) => until(async () => (await hub.failed!.list()).find((f) => f.localId === localId));

async function sendAttendance(hub: TestHub, nhsNumber: string, id: string) {
  await client(hub, 'RR8PAS').send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(nhsNumber, id), localId: id });
}

describe('an LA the hub cannot notify', () => {
  const prefix = `test:cfg:${process.pid}:`;
  afterAll(() => deleteKeys(`${prefix}*`));

  test('the flag goes out at once; only that LA\'s notification is held, and its replay after the fix sends it once', async () => {
    // LA708 is left out of the notification workflow: the hub cannot tell it.
    const broken = sampleWorkflows().map((w) => (w.id === 'CPIS_ACCESS_NOTIFICATION' ? { ...w, recipients: ['LA706CSC'] } : w));
    const first = await startCpisHub({}, { keyPrefix: prefix, overrides: { workflows: broken } });
    try {
      await client(first, 'LA706CSC').send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA706, 1, [planRecord(NHS[0])]), localId: 'u1' });
      await client(first, 'LA708CSC').send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA708, 1, [planRecord(NHS[0], { localId: 'K1' })]), localId: 'u2' });
      await collect(client(first, 'LA706CSC'), 1);
      await collect(client(first, 'LA708CSC'), 1);
      await sendAttendance(first, NHS[0], 'ATT-CFG');
      const [flag] = await collect(client(first, 'RR8PAS'), 1);
      const response = parseFlagResponse(flag.body);
      expect(response.ok && response.value.plans.map((p) => p.la.ods).sort()).toEqual(['706', '708']);
      expect(await collect(client(first, 'LA706CSC'), 1)).toHaveLength(1);
      const held = await until(async () => (await first.failed!.list()).find((f) => f.workflowId === 'CPIS_ACCESS_NOTIFICATION'));
      expect(held).toMatchObject({ reason: 'HUB_CONFIGURATION', from: 'X26HUB', attempts: [{ attempt: 1, code: 'HUB_CONFIGURATION', permanent: true }] });
      expect(held.attempts[0].error).toContain('LA 708');
      expect((await first.failed!.list()).map((f) => f.messageId)).toEqual([held.messageId]);
      expect(await first.store.get('X26HUB', flag.headers.linkedMsgId!)).toMatchObject({ status: 'acknowledged' });
    } finally {
      await first.stop();
    }

    const fixed = await startCpisHub({}, { keyPrefix: prefix });
    try {
      const [held] = await fixed.failed!.list();
      await fixed.failed!.replay(held.messageId);
      const notices = await collect(client(fixed, 'LA708CSC'), 1);
      expect(notices.map((n) => [n.headers.workflowId, n.text.includes('ATT-CFG')])).toEqual([['CPIS_ACCESS_NOTIFICATION', true]]);
      expect(await fixed.failed!.list()).toEqual([]);
      expect(await fixed.store.get('X26HUB', held.messageId)).toMatchObject({ status: 'acknowledged' });
      // Nothing more comes after the replay: one notification for LA 708, and no second flag.
      await sleep(1000);
      expect(await client(fixed, 'LA708CSC').count()).toBe(0);
      expect(await client(fixed, 'RR8PAS').count()).toBe(0);
    } finally {
      await fixed.stop();
    }
  }, 40_000);
});

describe('a transient fault', () => {
  let hub: TestHub;
  let redis: Redis;
  beforeAll(async () => {
    hub = await startCpisHub();
    redis = testRedis();
  });
  afterAll(async () => {
    redis.disconnect();
    await hub.stop();
  });

  test('is retried, held after the last attempt with every error, and replayed once fixed', async () => {
    // A register key of the wrong type makes Redis refuse the lookup: a real fault, not a mock.
    const person = new RegisterKeys(hub.keyPrefix).person(NHS[1]);
    await redis.set(person, 'not a hash');
    await sendAttendance(hub, NHS[1], 'ATT-TRANSIENT');
    const held = await until(async () => {
      const f = (await hub.failed!.list()).find((x) => x.localId === 'ATT-TRANSIENT');
      return f && f.attempts.length === 3 ? f : undefined;
    });
    expect(held.attempts.map((a) => [a.attempt, a.code, a.permanent])).toEqual([[1, 'TRANSIENT', false], [2, 'TRANSIENT', false], [3, 'TRANSIENT', false]]);
    expect(await client(hub, 'RR8PAS').count()).toBe(0);

    await redis.del(person);
    await hub.failed!.replay(held.messageId);
    const [flag] = await collect(client(hub, 'RR8PAS'), 1);
    expect(flag.headers.workflowId).toBe('CPIS_ATTENDANCE_RESPONSE');
    expect((await hub.failed!.list()).find((f) => f.messageId === held.messageId)).toBeUndefined();
  }, 30_000);

  test('attempts are numbered across replays, so a replay that fails again goes on from the last', async () => {
    const [child] = nhsNumbers(1);
    const person = new RegisterKeys(hub.keyPrefix).person(child);
    await redis.set(person, 'not a hash');
    await sendAttendance(hub, child, 'ATT-AGAIN');
    const heldWith = (count: number) => until(async () => {
      const f = (await hub.failed!.list()).find((x) => x.localId === 'ATT-AGAIN');
      return f && f.attempts.length === count ? f : undefined;
    });
    const held = await heldWith(3);
    await hub.failed!.replay(held.messageId);
    expect((await heldWith(6)).attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    await redis.del(person);
    await hub.failed!.discard(held.messageId);
  }, 30_000);

  test('a discarded message leaves the hub inbox and is not queued again by the sweep', async () => {
    await client(hub, 'RR8PAS').send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: '<not-xml', localId: 'ATT-DISCARD' });
    const held = await heldFor(hub, 'ATT-DISCARD');
    expect(held.reason).toBe('NOT_READABLE');
    await collect(client(hub, 'RR8PAS'), 1); // the REPORT (15)
    await hub.failed!.discard(held.messageId);
    await sleep(1500); // three sweeps
    expect(await hub.failed!.list()).toEqual([]);
    expect(await hub.store.count('X26HUB')).toBe(0);
    await expect(hub.failed!.show(held.messageId)).rejects.toMatchObject({ code: 'NOT_FAILED' });
  }, 30_000);

  test('a message stored without being queued (a crash between the two) is found by the sweep', async () => {
    const xml = attendanceXml(NHS[2], 'ATT-SWEPT');
    await hub.store.send(
      { id: 'SWEPT_0001', from: 'RR8PAS', to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', type: 'DATA', totalChunks: 1, localId: 'ATT-SWEPT' },
      Buffer.from(xml), { sendOnceWindowMs: 0 },
    );
    const [flag] = await collect(client(hub, 'RR8PAS'), 1);
    const response = parseFlagResponse(flag.body);
    expect(response.ok && response.value.attendanceId).toBe('ATT-SWEPT');
    await until(async () => ((await hub.store.count('X26HUB')) === 0 ? true : undefined));
  }, 30_000);
});
