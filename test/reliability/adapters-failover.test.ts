import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadyProcess } from '../../scripts/spawn-ready.js';
import { attendanceIds, drop, folderSites, startAdapter, xmlFiles } from '../support/adapter-process.js';
import { attendanceXml } from '../support/cpis.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { GROUP_NAME, startSentinelGroup, type SentinelGroup } from '../support/sentinel-group.js';
import { loadPlans, nhsNumbers, sampleConfigWith, sleep, waitFor } from '../support/worker-processes.js';
import { complaints } from '../support/failover-run.js';

/*
 * The adapters, not a test's own MESH client, through a Redis failover: a PAS drops
 * attendances in its folder while the Sentinel group's master is SIGKILLed. The PAS and LA
 * adapters ride through with their own retries: every attendance is sent once, and every
 * flag response and notification lands in its folder once.
 */
const ATTENDANCES = 60;
let group: SentinelGroup | undefined;
let hub: HubProcess | undefined;
const adapters: ReadyProcess[] = [];

afterAll(async () => {
  await Promise.all(adapters.map((a) => a.stop('SIGKILL')));
  await hub?.stop('SIGKILL');
  await group?.stop();
});

test('PAS and LA adapters ride through a Sentinel failover: each attendance answered once, each notification delivered once', async () => {
  group = await startSentinelGroup();
  const file = sampleConfigWith({ stalledAfter: 2, sweepEvery: 1, retry: { attempts: 10, baseDelay: 0.2, maxDelay: 2 } }, 'adapters-failover', {
    redis: { sentinels: { nodes: group.sentinels, name: GROUP_NAME }, replicaAcks: 1, replicaAckTimeout: '1s' },
  });
  hub = await spawnHub(file, { REDIS_URL: undefined, REDIS_KEY_PREFIX: `test:adapters-failover:${process.pid}:` });
  const children = nhsNumbers(ATTENDANCES);
  await loadPlans(hub.url, children, 0);

  const { pas: pasSite, la: laSite, drops: dropFolder, responses, notifications } = folderSites(hub.url);
  adapters.push(...await Promise.all([startAdapter(pasSite), startAdapter(laSite)]));

  const ids = children.map((_, i) => `HA-${i}`);
  let killed: number | undefined;
  for (let i = 0; i < ATTENDANCES; i++) {
    drop(dropFolder, `${ids[i]}.xml`, attendanceXml(children[i], ids[i]));
    if (i === ATTENDANCES / 3) killed = await group.killMaster();
    await sleep(100);
  }
  // On a timeout the CI output is all there is: the hub's and the PAS adapter's most frequent complaints go with it.
  const describe = async () => `responses ${xmlFiles(responses).length}, notifications ${xmlFiles(notifications).length}, waiting ${xmlFiles(dropFolder).length}`
    + `\nthe hub's warnings and errors:\n  ${complaints(hub!.output()).join('\n  ')}`
    + `\nthe PAS adapter's:\n  ${complaints(adapters[0].output()).join('\n  ')}`
    + `\nthe Sentinel group:\n  ${await group!.describe()}`
    + `\nthe hub's /health/ready: ${await fetch(`${hub!.url}/health/ready`).then((r) => r.text(), (err: Error) => err.message)}`;
  await waitFor(async () => xmlFiles(responses).length >= ATTENDANCES && xmlFiles(notifications).length >= ATTENDANCES, 120_000, describe, 500);
  await sleep(2000); // a duplicate would arrive after the last original

  expect(await group.masterPort()).not.toBe(killed);
  expect(xmlFiles(dropFolder)).toEqual([]);
  expect(readdirSync(join(dropFolder, 'rejected'))).toEqual([]);
  expect(xmlFiles(join(dropFolder, 'sent')).sort()).toEqual(ids.map((id) => `${id}.xml`).sort());
  for (const [folder, kind] of [[responses, 'flag'], [notifications, 'notification']] as const) {
    const got = attendanceIds(folder, kind);
    expect(got.sort()).toEqual([...ids].sort());
  }
}, 200_000);
