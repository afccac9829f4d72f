import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import { PeakRss, rssKb } from '../../bench/proc-stats.js';
import { connectRedis } from '../../engine/redis/connect.js';
import { loadConfig } from '../../engine/config/load.js';
import type { CpisSettings } from '../../engine/config/schema.js';
import { Keys } from '../../engine/mailbox/keys.js';
import { newMessageId } from '../../engine/mailbox/message-id.js';
import { RedisMailboxStore } from '../../engine/mailbox/redis-store.js';
import { Arrivals } from '../../engine/pipeline/arrivals.js';
import { AttemptLog } from '../../engine/pipeline/attempt-log.js';
import { openQueues } from '../../engine/pipeline/queues.js';
import { PASSWORDS, SAMPLE_CONFIG } from '../support/cpis.js';
import { GIB, gzipBomb } from '../support/gzip-bomb.js';
import { deleteKeys, memoryLogger, TEST_REDIS, testRedis } from '../support/hub.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { meshRequest, rawMeshRequest } from '../support/mesh-http.js';
import { expectMeshError } from '../support/mesh-flow.js';
import { until } from '../support/wait.js';

/*
 * Size limits against the real hub process (sample configuration): a gzip bomb is
 * refused at send, and one already stored is refused by the worker, each while the
 * hub's resident memory stays put. Limits: attendance 1 MiB, plan update 64 MiB.
 */
const PREFIX = `test:size-limits:${randomUUID().slice(0, 8)}:`;
const MIB = 1024 * 1024;
const RSS_RISE_LIMIT_KB = 50 * 1024;
let hub: HubProcess;
let redis: Redis;

beforeAll(async () => {
  redis = testRedis();
  hub = await spawnHub(SAMPLE_CONFIG, { REDIS_KEY_PREFIX: PREFIX });
});
afterAll(async () => {
  await hub?.stop();
  redis?.disconnect();
  await deleteKeys(`${PREFIX}*`);
});

/** How far the hub's resident memory rose above where it was while `work` ran (sampled, so peaks count). */
async function rssRiseKb(work: () => Promise<void>): Promise<number> {
  const pid = hub.child.pid!;
  const before = rssKb(pid)!;
  const peak = new PeakRss([pid]);
  try {
    await work();
    await new Promise((r) => setTimeout(r, 500)); // at least two samples after the work
  } finally {
    peak.stop();
  }
  return Math.max(rssKb(pid)!, peak.peakKb.get(pid) ?? 0) - before;
}

async function inbox(mailbox: string): Promise<string[]> {
  return (await meshRequest(hub.url, 'GET', `/messageexchange/${mailbox}/inbox`, { mailbox, password: PASSWORDS[mailbox] })).json().messages;
}

const post = (from: string, to: string, workflow: string, body: Buffer, headers: Record<string, string> = {}) =>
  meshRequest(hub.url, 'POST', `/messageexchange/${from}/outbox`, {
    mailbox: from, password: PASSWORDS[from], body, headers: { 'mex-to': to, 'mex-workflowid': workflow, ...headers },
  });

test('a plan update that inflates past 1 GiB is refused at send (413, code 06), and the hub barely grows', async () => {
  const bomb = gzipBomb(1.1 * GIB);
  let res: Awaited<ReturnType<typeof post>> | undefined;
  const rise = await rssRiseKb(async () => { res = await post('LA706CSC', 'X26HUB', 'CPIS_PLAN_UPDATE', bomb, { 'content-encoding': 'gzip' }); });
  expectMeshError(res!, 413, '06');
  expect(res!.json().detail[0].msg).toContain(`over ${64 * MIB} bytes`);
  expect(rise).toBeLessThan(RSS_RISE_LIMIT_KB);
  expect(await inbox('X26HUB')).toEqual([]);
}, 60_000);

test('an attendance over 1 MiB is refused at send, plain or once inflated', async () => {
  const big = Buffer.alloc(MIB + 1, 'a');
  expectMeshError(await post('RR8PAS', 'X26HUB', 'CPIS_ATTENDANCE', big), 413, '06');
  expectMeshError(await post('RR8PAS', 'X26HUB', 'CPIS_ATTENDANCE', gzipSync(big), { 'content-encoding': 'gzip' }), 413, '06');
}, 30_000);

test('a gzip bomb already stored is refused by the worker at once (TOO_LARGE, permanent), and the hub barely grows', async () => {
  const keys = new Keys(PREFIX);
  const store = new RedisMailboxStore(redis, { undeliveredAfterMs: 3_600_000, deleteContentAfterMs: 3_600_000 }, keys);
  const id = newMessageId();
  // As a message accepted before the limits, or written by an older hub: it never passed today's send check.
  await store.send({
    id, from: 'RR8PAS', to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', type: 'DATA', totalChunks: 1, contentEncoding: 'gzip',
  }, gzipBomb(1.1 * GIB), { sendOnceWindowMs: 0 });
  const bull = connectRedis(TEST_REDIS, 'blocking');
  const queues = openQueues(bull, PREFIX, memoryLogger());
  const attempts = new AttemptLog(redis, PREFIX);
  try {
    const rise = await rssRiseKb(async () => {
      await new Arrivals(queues, store, loadConfig(SAMPLE_CONFIG).cpis as CpisSettings, memoryLogger()).enqueue(id, 'CPIS_ATTENDANCE');
      await until(async () => ((await attempts.list(id)).length > 0 ? true : undefined), 20_000);
    });
    expect((await attempts.list(id)).map((a) => ({ code: a.code, permanent: a.permanent }))).toEqual([{ code: 'TOO_LARGE', permanent: true }]);
    expect((await attempts.list(id))[0].error).toContain(`message ${id} is over ${MIB} bytes`);
    expect(rise).toBeLessThan(RSS_RISE_LIMIT_KB);
    // The trust is told (a REPORT in its inbox), and nothing retries it.
    await until(async () => ((await inbox('RR8PAS')).length ? true : undefined));
    // Downloaded by a client that does not take gzip, it is inflated as a stream and cut off at the limit.
    let download: Promise<unknown> | undefined;
    const downloadRise = await rssRiseKb(async () => {
      download = rawMeshRequest(hub.url, 'GET', `/messageexchange/X26HUB/inbox/${id}`, { mailbox: 'X26HUB', password: PASSWORDS.X26HUB });
      await download.catch(() => undefined);
    });
    await expect(download).rejects.toThrow();
    expect(downloadRise).toBeLessThan(RSS_RISE_LIMIT_KB);
  } finally {
    await Promise.all(Object.values(queues).map((q) => q.close()));
    bull.disconnect();
  }
}, 60_000);
