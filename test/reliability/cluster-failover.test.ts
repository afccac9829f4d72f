import { Keys } from '../../engine/mailbox/keys.js';
import { keySlot } from '../../engine/redis/key-slot.js';
import type { HubProcess } from '../support/hub-process.js';
import { describeRun, expectFailedOver, expectNothingLost, failoverRun, type FailingRedis } from '../support/failover-run.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { sleep } from '../support/wait.js';

/*
 * Cluster: three masters, each with a replica. The master holding the hub's inbox (where
 * every attendance sent over MESH lands) is SIGKILLed mid-stream; its replica takes over
 * and the hub follows the new topology (support/failover-run.ts counts). With replicaAcks
 * 1 nothing acknowledged may be lost or doubled; without it the losses are printed.
 *
 * The new master has no replica until the killed node is back, and with replicaAcks 1 the
 * hub refuses every write meanwhile (it WAITs on every master): the node is started again
 * 2 s after the kill, as a supervisor would, and rejoins as the new master's replica.
 */
const RESTART_AFTER_MS = 2000;
let cluster: RedisCluster | undefined;
let hub: HubProcess | undefined;
let restarted: Promise<void> | undefined;

afterEach(async () => {
  await restarted;
  await hub?.stop('SIGKILL');
  await cluster?.stop();
  hub = undefined;
  cluster = undefined;
  restarted = undefined;
});

async function clusterRun(replicaAcks: number) {
  cluster = await startRedisCluster();
  const hubInboxSlot = keySlot(new Keys('any:').inbox('X26HUB'));
  const running = cluster;
  const redis: FailingRedis = {
    name: 'cluster',
    section: { cluster: { nodes: running.nodes } },
    killMaster: async () => {
      const port = await running.killMasterOf(hubInboxSlot);
      restarted = sleep(RESTART_AFTER_MS).then(() => running.restart(port));
      return port;
    },
    masterPort: () => running.masterOf(hubInboxSlot),
  };
  return failoverRun(redis, replicaAcks, (started) => { hub = started; });
}

test('with replicaAcks 1, the master of the hub inbox SIGKILLed mid-stream loses no flag or notification and doubles none', async () => {
  const run = await clusterRun(1);
  console.log(`cluster-failover, replicaAcks 1: ${describeRun(run)}`);
  expectFailedOver(run);
  expectNothingLost(run);
}, 150_000);

test('without replicaAcks the same failover is measured and reported', async () => {
  const run = await clusterRun(0);
  console.log(`cluster-failover, replicaAcks 0 (asynchronous replication): ${describeRun(run)}`);
  expectFailedOver(run);
}, 240_000);
