import { redactUrl } from '../../engine/redis/settings.js';
import { hubSettings, SettingError } from '../../engine/startup/settings.js';

describe('which configuration file the hub loads', () => {
  test('--config beats CPIS_CONFIG', () => {
    expect(hubSettings(['--config', 'a.yaml'], { CPIS_CONFIG: 'b.yaml' }).configFile).toBe('a.yaml');
  });
  test('CPIS_CONFIG beats the default', () => {
    expect(hubSettings([], { CPIS_CONFIG: 'b.yaml' }).configFile).toBe('b.yaml');
  });
  test('with neither, config/sample.yaml', () => {
    expect(hubSettings([], {}).configFile).toBe('config/sample.yaml');
  });
});

test('flags beat their environment variables for the role and the number of processes', () => {
  const settings = hubSettings(['--role', 'api', '--processes', '3'], { HUB_ROLE: 'worker', HUB_PROCESSES: '2' });
  expect([settings.role, settings.processes]).toEqual(['api', 3]);
  expect(hubSettings([], { HUB_ROLE: 'worker', HUB_PROCESSES: '2' })).toMatchObject({ role: 'worker', processes: 2 });
});

test('the defaults', () => {
  expect(hubSettings([], {})).toEqual({
    configFile: 'config/sample.yaml', role: 'all', processes: 1, port: 8700, host: '0.0.0.0',
    redis: { url: undefined, sentinels: undefined, sentinelName: undefined, clusterNodes: undefined, password: undefined, replicaAcks: undefined },
    keyPrefix: undefined, logLevel: 'info',
  });
});

test.each([
  [{ PORT: '70000' }, [], 'PORT 70000: not a port number (1-65535)'],
  [{ PORT: '80.5' }, [], 'PORT 80.5: not a port number (1-65535)'],
  [{ HOST: ' ' }, [], 'HOST is empty: give an address or host name to listen on, e.g. 0.0.0.0'],
  [{ REDIS_URL: 'localhost:6379' }, [], 'REDIS_URL localhost:6379: not a redis:// or rediss:// URL'],
  [{ REDIS_SENTINELS: '10.0.0.1:26379,10.0.0.2' }, [], 'REDIS_SENTINELS 10.0.0.1:26379,10.0.0.2: not a list of host:port, e.g. 10.0.0.1:26379,10.0.0.2:26379'],
  [{ REDIS_CLUSTER_NODES: 'a:70000' }, [], 'REDIS_CLUSTER_NODES a:70000: not a list of host:port, e.g. 10.0.0.1:26379,10.0.0.2:26379'],
  [{ REDIS_URL: 'redis://a:6379', REDIS_SENTINELS: 'b:26379' }, [], 'REDIS_URL and REDIS_SENTINELS are both set: give one (a single Redis, a Sentinel group or a Cluster)'],
  [{ REDIS_REPLICA_ACKS: '17' }, [], 'REDIS_REPLICA_ACKS 17: not a number of replicas (0-16)'],
  [{ REDIS_PASSWORD: '' }, [], 'REDIS_PASSWORD is empty: unset it, or give the password'],
  [{ LOG_LEVEL: 'loud' }, [], 'LOG_LEVEL loud: not a log level (error, warn, info, http, verbose, debug, silly)'],
  [{ HUB_ROLE: 'boss' }, [], 'HUB_ROLE boss: not a role (all, api, worker)'],
  [{ HUB_ROLE: 'api' }, ['--role', 'boss'], '--role boss: not a role (all, api, worker)'],
  [{ HUB_PROCESSES: '65' }, [], 'HUB_PROCESSES 65: not a number of processes (1-64)'],
  [{ CPIS_CONFIG: '' }, [], 'CPIS_CONFIG is empty: give a configuration file'],
  [{}, ['stray'], "Unexpected argument 'stray'; the hub takes --config FILE, --role all|api|worker and --processes N"],
])('%j %j: %s', (env, args, message) => {
  expect(() => hubSettings(args, env)).toThrow(new SettingError(message));
});

test('a REDIS_URL that is not a URL is named without its password', () => {
  const err = (() => { try { hubSettings([], { REDIS_URL: 'redis//:hunter2@host' }); } catch (e) { return e; } })();
  expect(err).toBeInstanceOf(SettingError);
  expect((err as Error).message).not.toContain('hunter2');
});

test('PORT 0 (any free port) is allowed', () => {
  expect(hubSettings([], { PORT: '0' }).port).toBe(0);
});

test.each([
  ['redis://:pw@127.0.0.1:6379', 'redis://:***@127.0.0.1:6379'],
  ['rediss://user:p@ss@host:6380/2', 'rediss://user:***@host:6380/2'],
  ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
  ['localhost:6379', 'localhost:6379'],
])('%s is shown as %s', (url, shown) => {
  expect(redactUrl(url)).toBe(shown);
});
