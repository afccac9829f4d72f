import { describeRedis, redisEnv, redisSettings, type RedisFileSettings } from '../../engine/redis/settings.js';
import { SettingError } from '../../engine/startup/settings.js';

const file = (over: Partial<RedisFileSettings>): RedisFileSettings => ({ replicaAcks: 0, replicaAckTimeout: 1000, ...over });

test('with nothing set, the single Redis on localhost, waiting for no replica', () => {
  const settings = redisSettings(undefined, redisEnv({}));
  expect(settings).toEqual({ topology: { kind: 'single', url: 'redis://127.0.0.1:6379' }, source: 'REDIS_URL', password: undefined, tls: undefined, replicaAcks: 0, replicaAckTimeout: 1000 });
});

test('REDIS_SENTINELS with REDIS_SENTINEL_NAME names a Sentinel group', () => {
  const settings = redisSettings(undefined, redisEnv({ REDIS_SENTINELS: 's1:26379, 10.0.0.2:26380', REDIS_SENTINEL_NAME: 'cpis' }));
  expect(settings.topology).toEqual({ kind: 'sentinel', name: 'cpis', sentinels: [{ host: 's1', port: 26379 }, { host: '10.0.0.2', port: 26380 }] });
  expect(describeRedis(settings)).toBe('REDIS_SENTINELS s1:26379,10.0.0.2:26380 (master cpis)');
});

test('REDIS_SENTINELS without a group name, here or in the file, is refused', () => {
  expect(() => redisSettings(undefined, redisEnv({ REDIS_SENTINELS: 's1:26379' }))).toThrow(SettingError);
  const named = redisSettings(file({ sentinels: { nodes: ['old:26379'], name: 'cpis' } }), redisEnv({ REDIS_SENTINELS: 's1:26379' }));
  expect(named.topology).toEqual({ kind: 'sentinel', name: 'cpis', sentinels: [{ host: 's1', port: 26379 }] });
});

test("the environment's topology and password replace the file's; the file's durability settings stay", () => {
  const fromFile = file({ sentinels: { nodes: ['s1:26379'], name: 'cpis' }, password: 'from-file', replicaAcks: 1, replicaAckTimeout: 500 });
  expect(redisSettings(fromFile, redisEnv({}))).toMatchObject({ source: 'redis.sentinels', password: 'from-file', replicaAcks: 1 });
  const settings = redisSettings(fromFile, redisEnv({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_PASSWORD: 'from-env' }));
  expect(settings).toMatchObject({
    topology: { kind: 'cluster', nodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }] },
    source: 'REDIS_CLUSTER_NODES', password: 'from-env', replicaAcks: 1, replicaAckTimeout: 500,
  });
});

test('a URL is described with its password hidden', () => {
  expect(describeRedis(redisSettings(file({ url: 'rediss://:hunter2@r.example:6380' }), redisEnv({})))).toBe('redis.url rediss://:***@r.example:6380');
});

test('REDIS_REPLICA_ACKS beats the file; an empty REDIS_URL (a compose override) is unset', () => {
  const settings = redisSettings(file({ replicaAcks: 2 }), redisEnv({ REDIS_URL: '', REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'cpis', REDIS_REPLICA_ACKS: '1' }));
  expect(settings).toMatchObject({ source: 'REDIS_SENTINELS', replicaAcks: 1 });
});
