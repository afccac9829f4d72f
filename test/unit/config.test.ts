import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, loadConfig, resolveConfig } from '../../engine/config/load.js';
import { caught } from '../support/caught.js';

const FILE = 'config/mesh-sandbox.yaml';
const dir = mkdtempSync(join(tmpdir(), 'cpisx-config-'));

/** The sandbox configuration as plain data, for a test to break one thing in. */
function sandbox(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return parseYaml(readFileSync(FILE, 'utf8'));
}

/** The one-line message of the ConfigError that resolving `raw` throws. */
function problem(raw: unknown, env: NodeJS.ProcessEnv = {}, file = 'hub.yaml'): string {
  const err = caught(() => resolveConfig(raw, file, env));
  expect(err).toBeInstanceOf(ConfigError);
  const message = (err as ConfigError).message;
  expect(message).not.toContain('\n');
  expect(message.startsWith(`${file}: `)).toBe(true);
  return message;
}

/** A real-looking configuration: no inline secrets, so `sample` is off. */
function production(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const raw = sandbox();
  raw.sample = false;
  raw.sharedKey = { env: 'MESH_KEY' };
  raw.mailboxes = raw.mailboxes.map((m: { id: string }) => ({ ...m, password: { env: `PW_${m.id}` } }));
  return raw;
}
const productionEnv = { MESH_KEY: 'k', PW_X26ABC1: 'p1', PW_X26ABC2: 'p2', PW_X26ABC3: 'p3' };

test('the sandbox file loads, with durations in milliseconds and defaults filled in', () => {
  const cfg = loadConfig(FILE, {});
  expect(cfg.sharedKey).toBe('TestKey');
  expect(cfg.mailboxes.map((m) => m.id)).toEqual(['X26ABC1', 'X26ABC2', 'X26ABC3']);
  expect(cfg.mesh.authWindow).toBe(2 * 3600_000);
  expect(cfg.mesh.undeliveredAfter).toBe(5 * 86_400_000);
  expect(cfg.workflows[0].idempotencyWindow).toBe(86_400_000);
});

test('secrets come from the environment and from files', () => {
  const raw = production();
  writeFileSync(join(dir, 'pw3'), 'from-a-file\n');
  raw.mailboxes[2].password = { file: 'pw3' };
  const cfg = resolveConfig(raw, join(dir, 'hub.yaml'), productionEnv);
  expect(cfg.sharedKey).toBe('k');
  expect(cfg.mailboxes.map((m) => m.password)).toEqual(['p1', 'p2', 'from-a-file']);
});

test('an unknown mailbox in a workflow names the workflow entry', () => {
  const raw = sandbox();
  raw.workflows[0].recipients = ['X26ABC1', 'X99NOPE'];
  expect(problem(raw)).toBe('hub.yaml: workflows[0].recipients[1]: no mailbox X99NOPE');
});

test('an inline password without sample: true is refused where it is', () => {
  const raw = production();
  raw.mailboxes[1].password = 'secret';
  expect(problem(raw, productionEnv)).toMatch(/^hub\.yaml: mailboxes\[1\]\.password: inline passwords are for sample files only/);
});

test('an inline shared key without sample: true is refused', () => {
  const raw = production();
  raw.sharedKey = 'TestKey';
  expect(problem(raw, productionEnv)).toMatch(/^hub\.yaml: sharedKey: an inline shared key is for sample files only/);
});

test('a bad duration names the setting and the value', () => {
  const raw = sandbox();
  raw.mesh = { authWindow: '2 weeks' };
  expect(problem(raw)).toMatch(/^hub\.yaml: mesh\.authWindow: "2 weeks" is not a duration/);
});

test('a zero duration is refused, since a sweep every 0 s would spin', () => {
  const raw = sandbox();
  raw.mesh = { expirySweepEvery: '0s' };
  expect(problem(raw)).toMatch(/^hub\.yaml: mesh\.expirySweepEvery: "0s" must be longer than zero/);
});

test('a secret from an unset environment variable names the variable', () => {
  const env: Record<string, string> = { ...productionEnv };
  delete env.PW_X26ABC2;
  expect(problem(production(), env)).toBe('hub.yaml: mailboxes[1].password: environment variable PW_X26ABC2 is not set');
});

test('a secret file that cannot be read names the file', () => {
  const raw = production();
  raw.mailboxes[0].password = { file: 'missing-secret' };
  expect(problem(raw, productionEnv)).toBe('hub.yaml: mailboxes[0].password: cannot read secret file missing-secret: ENOENT');
});

test('no shared key anywhere says where to give one', () => {
  const raw = production();
  delete raw.sharedKey;
  expect(problem(raw, productionEnv)).toMatch(/^hub\.yaml: sharedKey: not set/);
});

test('a mailbox of an unknown organisation, and an unknown reply workflow, are each named', () => {
  const raw = sandbox();
  raw.mailboxes[2].organisation = 'X99';
  raw.workflows[1].reply = 'NO_SUCH_FLOW';
  const message = problem(raw);
  expect(message).toContain('mailboxes[2].organisation: no organisation with ODS code X99');
  expect(message).toContain('workflows[1].reply: no workflow NO_SUCH_FLOW');
});

test('an unknown key is named with its place', () => {
  const raw = sandbox();
  raw.mesh = { authWindw: '2h' };
  expect(problem(raw)).toMatch(/^hub\.yaml: mesh: .*authWindw/);
});

describe('loadConfig', () => {
  test('a file that cannot be read names the file', () => {
    const file = join(dir, 'absent.yaml');
    const err = caught(() => loadConfig(file, {}));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`${file}: cannot read: ENOENT`);
  });

  test('YAML that does not parse names the file, in one line', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'mailboxes: [\n  - { id: X26ABC1\n');
    const err = caught(() => loadConfig(file, {}));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid YAML: `));
    expect((err as Error).message).not.toContain('\n');
  });

  test('a broken setting in a file names the file and the path', () => {
    const file = join(dir, 'bad-window.yaml');
    writeFileSync(file, readFileSync(FILE, 'utf8').replace('sharedKey: TestKey', 'sharedKey: TestKey\nmesh: { authWindow: soon }'));
    const err = caught(() => loadConfig(file, {}));
    expect((err as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: mesh\\.authWindow: "soon" is not a duration`));
  });
});

test('size limits default by what a workflow carries: attendance 1 MiB, plan update 64 MiB, others 1 GiB; a set one wins', () => {
  const raw = parseYaml(readFileSync('config/sample.yaml', 'utf8'));
  for (const w of raw.workflows) delete w.maxMessageBytes;
  const limits = (cfg: ReturnType<typeof resolveConfig>) => Object.fromEntries(cfg.workflows.map((w) => [w.id, w.maxMessageBytes]));
  expect(limits(resolveConfig(raw, 'hub.yaml', {}))).toMatchObject({
    CPIS_ATTENDANCE: 1024 ** 2, CPIS_PLAN_UPDATE: 64 * 1024 ** 2, CPIS_ATTENDANCE_RESPONSE: 1024 ** 3,
  });
  raw.workflows.find((w: { id: string }) => w.id === 'CPIS_ATTENDANCE').maxMessageBytes = 2048;
  expect(limits(resolveConfig(raw, 'hub.yaml', {})).CPIS_ATTENDANCE).toBe(2048);
  expect(limits(loadConfig('config/sample.yaml', {}))).toMatchObject({ CPIS_ATTENDANCE: 1024 ** 2, CPIS_PLAN_UPDATE: 64 * 1024 ** 2 });
});

test('a size limit that is not a positive whole number of bytes is refused where it is', () => {
  const raw = sandbox();
  raw.workflows[0].maxMessageBytes = '1MB';
  expect(problem(raw)).toMatch(/^hub\.yaml: workflows\[0\]\.maxMessageBytes: /);
});

describe('queryClients', () => {
  const FINGERPRINT = 'ab'.repeat(32);
  const CANONICAL = Array(32).fill('AB').join(':');
  /** The sandbox with one query client for trust X26, `client` merged over it. */
  function withClient(client: Record<string, unknown>, raw = sandbox()): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    raw.queryClients = [{ id: 'x26-ed', organisation: 'X26', secret: 'sample-secret', ...client }];
    return raw;
  }

  test('the sample file has a user-stating client and a system client with a responsible person, defaults filled in', () => {
    const [ed, system] = loadConfig('config/sample.yaml', {}).queryClients;
    expect(ed).toMatchObject({
      id: 'rr8-ed', organisation: 'RR8', secret: 'rr8-ed-secret', allowed: true, departmentType: '01',
      rateLimit: { perSecond: 50, burst: 100 }, tokenLifetime: 15 * 60_000,
    });
    expect(ed.responsiblePerson).toBeUndefined();
    expect(system).toMatchObject({ id: 'rr8-minor-injuries', departmentType: '03', asid: '200000000123', responsiblePerson: { name: 'Dr Alex Morgan' } });
  });

  test('none configured is an empty list', () => {
    expect(resolveConfig(sandbox(), 'hub.yaml', {}).queryClients).toEqual([]);
  });

  test('defaults: allowed, department 01, 50 a second with bursts of 100, 15 minute tokens, the organisation\'s name', () => {
    const [client] = resolveConfig(withClient({}), 'hub.yaml', {}).queryClients;
    expect(client).toEqual({
      id: 'x26-ed', organisation: 'X26', name: 'TEST ORG X26', secret: 'sample-secret', allowed: true, departmentType: '01',
      rateLimit: { perSecond: 50, burst: 100 }, tokenLifetime: 900_000,
    });
  });

  test('a secret comes from the environment or a file; inline only in a sample file', () => {
    writeFileSync(join(dir, 'client-secret'), 'from-a-file\n');
    const raw = production();
    raw.queryClients = [
      { id: 'a', organisation: 'X26', secret: { env: 'CLIENT_A' } },
      { id: 'b', organisation: 'X27', secret: { file: 'client-secret' } },
    ];
    const cfg = resolveConfig(raw, join(dir, 'hub.yaml'), { ...productionEnv, CLIENT_A: 'from-env' });
    expect(cfg.queryClients.map((c) => c.secret)).toEqual(['from-env', 'from-a-file']);
    expect(problem(withClient({ secret: 'inline' }, production()), productionEnv))
      .toBe('hub.yaml: queryClients[0].secret: inline secrets are for sample files only; use {env: VAR} or {file: path}');
  });

  test('a client known by its certificate alone needs no secret; its fingerprint is kept as Node gives a peer\'s', () => {
    const [client] = resolveConfig(withClient({ secret: undefined, certificate: FINGERPRINT }), 'hub.yaml', {}).queryClients;
    expect(client.certificate).toBe(CANONICAL);
    expect(client.secret).toBeUndefined();
  });

  test('a client with neither secret nor certificate, or a fingerprint that is not SHA-256, is refused', () => {
    expect(problem(withClient({ secret: undefined }))).toBe('hub.yaml: queryClients[0]: a query client needs a secret, a certificate, or both');
    expect(problem(withClient({ certificate: 'AB:CD' }))).toMatch(/^hub\.yaml: queryClients\[0\]\.certificate: a certificate fingerprint is its SHA-256/);
  });

  test('its organisation must be a configured trust', () => {
    expect(problem(withClient({ organisation: 'X99' }))).toBe('hub.yaml: queryClients[0].organisation: no organisation with ODS code X99');
    const raw = withClient({ organisation: 'L01' });
    raw.organisations.push({ ods: 'L01', name: 'A council', kind: 'la' }, { ods: 'H01', name: 'Hub', kind: 'hub' });
    expect(problem(raw)).toBe('hub.yaml: queryClients[0].organisation: L01 is a local authority; only a trust\'s systems may query');
    raw.queryClients[0].organisation = 'H01';
    expect(problem(raw)).toBe('hub.yaml: queryClients[0].organisation: H01 is the hub; only a trust\'s systems may query');
  });

  test('duplicate ids and a certificate two clients share are refused where they are', () => {
    const raw = withClient({ certificate: FINGERPRINT });
    raw.queryClients.push({ id: 'x26-ed', organisation: 'X27', secret: 's' }, { id: 'other', organisation: 'X27', certificate: CANONICAL });
    const message = problem(raw);
    expect(message).toContain('queryClients[1].id: duplicate query client id');
    expect(message).toContain('queryClients[2].certificate: another query client has this certificate');
  });

  test('a bad id, department type, ASID or token lifetime is named', () => {
    expect(problem(withClient({ id: 'has space' }))).toMatch(/^hub\.yaml: queryClients\[0\]\.id: a query client id is 1 to 64 letters/);
    expect(problem(withClient({ departmentType: '05' }))).toMatch(/^hub\.yaml: queryClients\[0\]\.departmentType: /);
    expect(problem(withClient({ asid: '12345' }))).toBe('hub.yaml: queryClients[0].asid: an ASID is 12 digits');
    expect(problem(withClient({ tokenLifetime: '2d' }))).toBe('hub.yaml: queryClients[0].tokenLifetime: a token may live a day at most');
    expect(problem(withClient({ rateLimit: { perSecond: 0 } }))).toMatch(/^hub\.yaml: queryClients\[0\]\.rateLimit\.perSecond: /);
    expect(problem(withClient({ responsiblePerson: { role: 'Lead' } }))).toMatch(/^hub\.yaml: queryClients\[0\]\.responsiblePerson\.name: /);
  });

  test('an unquoted department type, which YAML reads as a number, is still 03', () => {
    const raw = parseYaml('{ id: a, organisation: X26, secret: s, departmentType: 03 }');
    expect(raw.departmentType).toBe(3);
    expect(resolveConfig(withClient(raw), 'hub.yaml', {}).queryClients[0].departmentType).toBe('03');
  });
});

describe('the redis section', () => {
  test('a Sentinel group with its password from a file and durations read', () => {
    const raw = production();
    writeFileSync(join(dir, 'redis-pw'), 'r3dis\n');
    raw.redis = { sentinels: { nodes: ['s1:26379', 's2:26379'], name: 'cpis' }, password: { file: 'redis-pw' }, replicaAcks: 1, replicaAckTimeout: '2s' };
    const cfg = resolveConfig(raw, join(dir, 'hub.yaml'), productionEnv);
    expect(cfg.redis).toEqual({ sentinels: { nodes: ['s1:26379', 's2:26379'], name: 'cpis' }, password: 'r3dis', replicaAcks: 1, replicaAckTimeout: 2000 });
  });

  test.each([
    [{ url: 'redis://a:6379', cluster: { nodes: ['b:7000'] } }, 'redis: give one of url, sentinels or cluster'],
    [{ cluster: { nodes: ['b'] } }, 'redis.cluster.nodes[0]: a Redis node is host:port'],
    [{ url: 'http://a' }, 'redis.url: not a redis:// or rediss:// URL'],
    [{ replicaAcks: -1 }, 'redis.replicaAcks: Too small: expected number to be >=0'],
    [{ password: 'inline' }, 'redis.password: an inline password is for sample files only; use {env: VAR} or {file: path}'],
  ])('%j is refused: %s', (redis, message) => {
    const raw = production();
    raw.redis = redis;
    expect(problem(raw, productionEnv)).toBe(`hub.yaml: ${message}`);
  });
});
