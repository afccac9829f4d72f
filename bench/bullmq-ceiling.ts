import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { connectRedis } from '../engine/redis/connect.js';
import { redisFromEnv } from '../engine/redis/settings.js';
import { redisCpuMs } from './proc-stats.js';

/**
 * What BullMQ alone costs on this machine, with the hub's job options: producers add jobs
 * one at a time (as the hub does after each 202) and a worker at the hub's concurrency
 * completes them doing nothing. Prints jobs/s and CPU per job for this process and Redis,
 * the floor under every attendance the hub processes.
 *   npx tsx bench/bullmq-ceiling.ts [seconds=15] [concurrency=64] [producers=64]
 */
const [seconds = 15, concurrency = 64, producers = 64] = process.argv.slice(2).map(Number);
const REDIS = redisFromEnv();
const prefix = `bench:bull:${randomUUID().slice(0, 8)}`;

const connection = connectRedis(REDIS, 'blocking');
const admin = connectRedis(REDIS);
const queue = new Queue('{ceiling}', { connection, prefix });
let done = 0;
const worker = new Worker('{ceiling}', async () => undefined, { connection, prefix, concurrency });
worker.on('completed', () => { done++; });


let running = true;
const produce = async () => {
  while (running) {
    await queue.add('arrival', {}, { jobId: randomUUID(), attempts: 8, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: false });
  }
};
const producing = Array.from({ length: producers }, produce);
await new Promise((r) => setTimeout(r, 3000));
const [startDone, startCpu, startRedis, startAt] = [done, process.cpuUsage(), await redisCpuMs(admin), Date.now()];
await new Promise((r) => setTimeout(r, seconds * 1000));
const [jobs, cpu, redisMs, ms] = [done - startDone, process.cpuUsage(startCpu), (await redisCpuMs(admin)) - startRedis, Date.now() - startAt];
running = false;
await Promise.all(producing);
await worker.close();
await queue.obliterate({ force: true });
await queue.close();
const nodeMs = (cpu.user + cpu.system) / 1000;
process.stdout.write([
  `jobs/s            ${(jobs / (ms / 1000)).toFixed(0)}`,
  `CPU per job       node ${(nodeMs / jobs).toFixed(3)} ms, Redis ${(redisMs / jobs).toFixed(3)} ms`,
  `CPU % of a core   node ${(100 * nodeMs / ms).toFixed(0)}, Redis ${(100 * redisMs / ms).toFixed(0)}`,
].join('\n') + '\n');
connection.disconnect();
admin.disconnect();
