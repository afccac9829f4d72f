import type { HubProcess } from '../support/hub-process.js';
import { describeRun, expectFailedOver, expectNothingLost, failoverRun, type FailingRedis } from '../support/failover-run.js';
import { GROUP_NAME, startSentinelGroup, type SentinelGroup } from '../support/sentinel-group.js';

/*
 * Sentinel: one master, two replicas, three sentinels. The master is SIGKILLed mid-stream,
 * the sentinels promote a replica and the hub asks them for it (support/failover-run.ts).
 * With replicaAcks 1 nothing acknowledged may be lost or doubled; without it the losses
 * are measured and printed.
 */
let group: SentinelGroup | undefined;
let hub: HubProcess | undefined;

afterEach(async () => {
  await hub?.stop('SIGKILL');
  await group?.stop();
  hub = undefined;
  group = undefined;
});

async function sentinelRun(replicaAcks: number) {
  group = await startSentinelGroup();
  const redis: FailingRedis = {
    name: 'sentinel',
    section: { sentinels: { nodes: group.sentinels, name: GROUP_NAME } },
    killMaster: group.killMaster,
    masterPort: group.masterPort,
    describe: group.describe,
  };
  return failoverRun(redis, replicaAcks, (started) => { hub = started; });
}

test('with replicaAcks 1, a master SIGKILLed mid-stream loses no flag or notification and doubles none', async () => {
  const run = await sentinelRun(1);
  console.log(`sentinel-failover, replicaAcks 1: ${describeRun(run)}`);
  expectFailedOver(run);
  expectNothingLost(run);
}, 150_000);

test('without replicaAcks the same failover is measured and reported', async () => {
  const run = await sentinelRun(0);
  console.log(`sentinel-failover, replicaAcks 0 (asynchronous replication): ${describeRun(run)}`);
  expectFailedOver(run);
}, 240_000);
