import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiter } from '../../engine/query/rate-limit.js';
import { REDIS_URL } from '../support/hub.js';
import { until } from '../support/wait.js';

const prefix = `test:query-rate:${randomUUID().slice(0, 8)}:`;
const connections: Redis[] = [];
/** A limiter on a connection of its own, as each hub process has. */
const hubProcess = () => {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return new RateLimiter(redis, prefix);
};

afterAll(async () => {
  const keys = await connections[0].keys(`${prefix}*`);
  if (keys.length) await connections[0].del(...keys);
  for (const c of connections) c.disconnect();
});

const ONE_A_MINUTE_BURST_3 = { perSecond: 1 / 60, burst: 3 };

test('a burst is allowed at once, then the next waits for the sustained rate, in whole seconds rounded up', async () => {
  const limiter = hubProcess();
  const decisions = [];
  for (let i = 0; i < 4; i++) decisions.push(await limiter.take('burst', ONE_A_MINUTE_BURST_3));
  expect(decisions.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
  const refused = decisions[3] as { allowed: false; retryAfterSeconds: number };
  expect(refused.allowed).toBe(false);
  expect(refused.retryAfterSeconds).toBeGreaterThan(55);
  expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  expect(Number.isInteger(refused.retryAfterSeconds)).toBe(true);
});

test('a refused request takes nothing: the wait does not grow with the refusals', async () => {
  const limiter = hubProcess();
  const limit = { perSecond: 1 / 60, burst: 1 };
  expect(await limiter.take('refusals', limit)).toEqual({ allowed: true });
  for (let i = 0; i < 5; i++) await limiter.take('refusals', limit);
  const last = await limiter.take('refusals', limit);
  expect(last.allowed).toBe(false);
  expect((last as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(60);
});

test('a wait under a second is Retry-After 1, and once it has passed the next is allowed', async () => {
  const limiter = hubProcess();
  const limit = { perSecond: 2, burst: 1 };
  expect(await limiter.take('fast', limit)).toEqual({ allowed: true });
  expect(await limiter.take('fast', limit)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  await until(async () => ((await limiter.take('fast', limit)).allowed ? true : undefined), 5_000, 100);
});

test('buckets are separate: one client over its limit leaves another alone', async () => {
  const limiter = hubProcess();
  for (let i = 0; i < 3; i++) await limiter.take('client-a', ONE_A_MINUTE_BURST_3);
  expect((await limiter.take('client-a', ONE_A_MINUTE_BURST_3)).allowed).toBe(false);
  expect((await limiter.take('client-b', ONE_A_MINUTE_BURST_3)).allowed).toBe(true);
});

test('two processes share one bucket', async () => {
  const [a, b] = [hubProcess(), hubProcess()];
  expect((await a.take('shared', ONE_A_MINUTE_BURST_3)).allowed).toBe(true);
  expect((await b.take('shared', ONE_A_MINUTE_BURST_3)).allowed).toBe(true);
  expect((await a.take('shared', ONE_A_MINUTE_BURST_3)).allowed).toBe(true);
  expect((await b.take('shared', ONE_A_MINUTE_BURST_3)).allowed).toBe(false);
  expect((await a.take('shared', ONE_A_MINUTE_BURST_3)).allowed).toBe(false);
});

test('many at once from two processes: exactly the burst is allowed', async () => {
  const [a, b] = [hubProcess(), hubProcess()];
  const limit = { perSecond: 1 / 60, burst: 10 };
  const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take('race', limit)));
  expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
});

test('giving back restores what was taken', async () => {
  const limiter = hubProcess();
  const limit = { perSecond: 1 / 60, burst: 2 };
  await limiter.take('give-back', limit);
  await limiter.take('give-back', limit);
  expect((await limiter.take('give-back', limit)).allowed).toBe(false);
  await limiter.giveBack('give-back', limit);
  expect((await limiter.take('give-back', limit)).allowed).toBe(true);
  expect((await limiter.take('give-back', limit)).allowed).toBe(false);
});

test('the bucket key is hash-tagged by its name and expires once the bucket is full again', async () => {
  const limiter = hubProcess();
  await limiter.take('tagged', { perSecond: 1, burst: 5 });
  const key = `${prefix}query:rate:{tagged}`;
  const ttl = await connections[0].pttl(key);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(1000);
});
