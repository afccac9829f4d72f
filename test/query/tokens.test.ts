import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { QueryTokens } from '../../engine/query/tokens.js';
import { REDIS_URL } from '../support/hub.js';
import { until } from '../support/wait.js';

const prefix = `test:query-tokens:${randomUUID().slice(0, 8)}:`;
const connections: Redis[] = [];
const hubProcess = () => {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return new QueryTokens(redis, prefix);
};

afterAll(async () => {
  const keys = await connections[0].keys(`${prefix}*`);
  if (keys.length) await connections[0].del(...keys);
  for (const c of connections) c.disconnect();
});

test('a token is 256 random bits, base64url, and resolves to its client in another process', async () => {
  const tokens = hubProcess();
  const a = await tokens.issue('rr8-ed', 60_000);
  const b = await tokens.issue('rr8-ed', 60_000);
  expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(b.token).not.toBe(a.token);
  expect(a.expiresIn).toBe(60);
  expect(await hubProcess().resolve(a.token)).toBe('rr8-ed');
});

test('Redis holds a digest of the token, never the token, with the lifetime as its TTL', async () => {
  const { token } = await hubProcess().issue('rr8-minor-injuries', 60_000);
  const redis = connections[0];
  const keys = await redis.keys(`${prefix}*`);
  expect(keys.some((k) => k.includes(token))).toBe(false);
  const key = `${prefix}query:token:{${createHash('sha256').update(token).digest('hex')}}`;
  expect(keys).toContain(key);
  expect(await redis.get(key)).toBe('rr8-minor-injuries');
  const ttl = await redis.pttl(key);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(60_000);
});

test('a token stops resolving when its lifetime is over', async () => {
  const tokens = hubProcess();
  const { token, expiresIn } = await tokens.issue('rr8-ed', 300);
  expect(expiresIn).toBe(0); // whole seconds, rounded down
  await until(async () => ((await tokens.resolve(token)) === undefined ? true : undefined), 5_000, 50);
  expect(await tokens.resolve(token)).toBeUndefined();
});

test('a forged token, or one not of a token\'s shape, resolves to nobody', async () => {
  const tokens = hubProcess();
  const { token } = await tokens.issue('rr8-ed', 60_000);
  const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  expect(await tokens.resolve(forged)).toBeUndefined();
  expect(await tokens.resolve('')).toBeUndefined();
  expect(await tokens.resolve(`${token}x`)).toBeUndefined();
  expect(await tokens.resolve('rr8-ed')).toBeUndefined();
});
