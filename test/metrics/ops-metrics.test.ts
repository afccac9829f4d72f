import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { AuditLog } from '../../engine/console/audit.js';
import { ConsoleKeys } from '../../engine/console/keys.js';
import { watchRedisPersistence } from '../../engine/metrics/redis-persistence.js';
import { SAMPLE_CONFIG, startCpisHub } from '../support/cpis.js';
import { deleteKeys, REDIS_URL, startTestHub, type TestHub } from '../support/hub.js';
import { spawnHub } from '../support/hub-process.js';
import { sample, scrape, scrapeUntil } from '../support/scrape.js';
import { sleep, until } from '../support/wait.js';

/** A Redis of the test's own on a Unix socket, so changing its persistence touches no one else's. */
async function privateRedis(): Promise<{ redis: Redis; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cpisx-redis-'));
  const socket = join(dir, 'redis.sock');
  const server: ChildProcess = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await until(() => (existsSync(socket) ? true : undefined));
  const redis = new Redis({ path: socket });
  return {
    redis,
    async stop() {
      redis.disconnect();
      server.kill();
      await new Promise((r) => server.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('cpisx_redis_persistence_enabled', () => {
  test('is 0 for a Redis that keeps nothing on disk and 1 once AOF or save points are on, read again after its cache time', async () => {
    const own = await privateRedis();
    try {
      let now = 0;
      const registry = new Registry();
      await watchRedisPersistence(registry, own.redis, () => now);
      const value = async () => sample(await registry.metrics(), 'cpisx_redis_persistence_enabled');
      expect(await value()).toBe(0);

      await own.redis.config('SET', 'appendonly', 'yes');
      expect(await value()).toBe(0); // cached
      now += 60_000;
      expect(await value()).toBe(1);

      await own.redis.config('SET', 'appendonly', 'no');
      await own.redis.config('SET', 'save', '3600 1');
      now += 60_000;
      expect(await value()).toBe(1);
      await own.redis.config('SET', 'save', '');
      now += 60_000;
      expect(await value()).toBe(0);
    } finally {
      await own.stop();
    }
  });

  test("a real hub reports the shared Redis's own setting", async () => {
    const redis = new Redis(REDIS_URL);
    const [, aof] = (await redis.config('GET', 'appendonly')) as string[];
    const [, save] = (await redis.config('GET', 'save')) as string[];
    redis.disconnect();
    const hub = await startTestHub();
    try {
      const { text } = await scrape(hub);
      expect(sample(text, 'cpisx_redis_persistence_enabled')).toBe(aof === 'yes' || save !== '' ? 1 : 0);
    } finally {
      await hub.stop();
    }
  });
});

describe('cpisx_messages_expired_total', () => {
  let hub: TestHub;
  beforeAll(async () => { hub = await startTestHub(); });
  afterAll(() => hub.stop());

  test('counts each data message the sweeper expires (REPORT 14), by workflow, once; not the reports that expire after them', async () => {
    const mesh = new MeshClient({ baseUrl: hub.url, mailboxId: 'X26ABC1', password: 'password', sharedKey: 'TestKey' });
    for (const localId of ['E-1', 'E-2']) await mesh.send({ to: 'X26ABC2', workflowId: 'API-DOCS-TEST', body: 'hello', localId });
    const before = (await scrape(hub)).text;
    // Present at 0 from the start, so Prometheus sees the first expiry as an increase.
    expect(sample(before, 'cpisx_messages_expired_total', { workflow: 'API-DOCS-TEST' })).toBe(0);

    const later = Date.now() + 6 * 86_400_000;
    expect(await hub.sweeper.sweep(later)).toBe(2);
    // The two REPORT 14s, never collected by the sender, expire in their turn: not counted.
    expect(await hub.sweeper.sweep(later)).toBe(2);
    expect(await hub.sweeper.sweep(later)).toBe(0);
    const { text } = await scrape(hub);
    expect(sample(text, 'cpisx_messages_expired_total', { workflow: 'API-DOCS-TEST' })).toBe(2);
  });
});

describe('cpisx_audit_chain_intact', () => {
  const sampleConsole = (parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as { console: object }).console;
  let hub: TestHub;
  beforeAll(async () => { hub = await startCpisHub({}, { overrides: { console: { ...sampleConsole, auditCheckEvery: 0.2 } } }); });
  afterAll(() => hub.stop());

  test('is 1 with the time of the check while the chain holds, and 0 once an entry in it is altered', async () => {
    const keys = new ConsoleKeys(hub.keyPrefix);
    const redis = new Redis(REDIS_URL);
    try {
      const audit = new AuditLog(redis, keys);
      for (const user of ['viewer', 'operator']) {
        await audit.append({ at: new Date().toISOString(), user, ip: '127.0.0.1', action: 'login', messageIds: [], outcome: 'ok' });
      }
      const intact = await scrapeUntil(hub, (t) => sample(t, 'cpisx_audit_chain_intact') === 1);
      expect(sample(intact, 'cpisx_audit_chain_checked_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);

      // An entry added beside the script, chained to nothing: what an edit by hand in Redis looks like.
      await redis.xadd(keys.audit(), '*', 'event', '{"user":"intruder"}', 'prev', 'forged', 'hash', 'forged');
      await scrapeUntil(hub, (t) => sample(t, 'cpisx_audit_chain_intact') === 0);
    } finally {
      redis.disconnect();
    }
  });

  test('is 0 once the anchor is deleted with the end of the log (CpisAuditChainBroken fires)', async () => {
    const keys = new ConsoleKeys(hub.keyPrefix);
    const redis = new Redis(REDIS_URL);
    try {
      await redis.del(keys.audit(), keys.auditAnchor()); // a fresh log, after the test before broke it
      const audit = new AuditLog(redis, keys);
      for (const user of ['viewer', 'operator']) {
        await audit.append({ at: new Date().toISOString(), user, ip: '127.0.0.1', action: 'login', messageIds: [], outcome: 'ok' });
      }
      await scrapeUntil(hub, (t) => sample(t, 'cpisx_audit_chain_intact') === 1);
      const [[last]] = await redis.xrevrange(keys.audit(), '+', '-', 'COUNT', 1);
      await redis.multi().xdel(keys.audit(), last).del(keys.auditAnchor()).exec();
      await scrapeUntil(hub, (t) => sample(t, 'cpisx_audit_chain_intact') === 0);
    } finally {
      redis.disconnect();
    }
  });

  test('a hub without a console has no audit chain gauges', async () => {
    const bare = await startTestHub({ console: undefined });
    try {
      const { text } = await scrape(bare);
      expect(text).toContain('cpisx_messages_accepted_total');
      expect(text).not.toContain('cpisx_audit_chain');
    } finally {
      await bare.stop();
    }
  });
});

describe('the audit chain check across hub processes', () => {
  test('two processes walk the chain once per interval between them, and both report the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpisx-audit-check-'));
    const config = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as { console: Record<string, unknown> };
    config.console.auditCheckEvery = '1s';
    writeFileSync(join(dir, 'hub.yaml'), stringifyYaml(config));
    const hub = await spawnHub(join(dir, 'hub.yaml'), { HUB_PROCESSES: '2', HOST: '127.0.0.1', REDIS_KEY_PREFIX: `test:audit-check:${randomUUID().slice(0, 8)}:` });
    try {
      const walked = () => hub.output().split('\n').filter((line) => line.includes('"audit chain walked"')).length;
      const [started, before] = [Date.now(), walked()];
      await sleep(5000);
      const walks = walked() - before;
      const intervals = (Date.now() - started) / 1000;
      // One walk per interval (the lock lasts 0.9 of it), where each process walking would make two.
      expect(walks).toBeGreaterThanOrEqual(2);
      expect(walks).toBeLessThanOrEqual(Math.ceil(intervals / 0.9) + 1);
      // Each scrape reaches one of the two processes; each reports the shared check.
      for (let i = 0; i < 6; i++) expect(sample((await scrape(hub)).text, 'cpisx_audit_chain_intact')).toBe(1);
    } finally {
      await hub.stop();
      await deleteKeys('test:audit-check:*');
    }
  }, 60_000);
});
