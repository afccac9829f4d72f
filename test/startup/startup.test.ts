import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { deleteKeys } from '../support/hub.js';
import { freePort } from '../support/hub-process.js';

const tmp = mkdtempSync(join(tmpdir(), 'cpisx-start-'));

/** Runs the hub to its exit and returns what it said; for starts that must fail. */
function runHub(configFile: string, env: Record<string, string> = {}) {
  return runMain(['--config', configFile], env);
}

function runMain(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'engine/main.ts', ...args], {
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr, output: result.stdout + result.stderr };
}

/** A bad start says one thing: the whole output, stdout and stderr, is this one line. */
function expectOneLine(run: ReturnType<typeof runMain>, line: string) {
  expect([run.status, run.output]).toEqual([1, `cpis-exchange hub: ${line}\n`]);
}

test('a bad configuration stops the hub with one line naming the file, the path and the fault', () => {
  const file = join(tmp, 'bad.yaml');
  writeFileSync(file, [
    'sample: true', 'sharedKey: k',
    'organisations: [{ ods: X26, name: Hub, kind: hub }]',
    'mailboxes: [{ id: X26HUB, organisation: X26, password: p }]',
    'workflows: [{ id: WF, senders: [NOBODY], recipients: [X26HUB] }]',
  ].join('\n'));
  expectOneLine(runHub(file), `${file}: workflows[0].senders[0]: no mailbox NOBODY`);
});

test('a missing secret is named with the variable to set', () => {
  const file = join(tmp, 'env.yaml');
  writeFileSync(file, [
    'sharedKey: { env: CPISX_TEST_UNSET_KEY }',
    'organisations: [{ ods: X26, name: Hub, kind: hub }]',
    'mailboxes: [{ id: X26HUB, organisation: X26, password: { env: CPISX_TEST_UNSET_PW } }]',
    'workflows: [{ id: WF, senders: ["*"], recipients: ["*"] }]',
  ].join('\n'));
  const { status, stderr } = runHub(file);
  expect(status).toBe(1);
  expect(stderr).toMatch(/CPISX_TEST_UNSET_(KEY|PW) is not set/);
});

describe('a Redis that may evict keys', () => {
  let port: number;
  let redis: ReturnType<typeof spawn>;
  beforeAll(async () => {
    port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      try { execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' }); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
  });
  afterAll(() => { redis.kill('SIGKILL'); });

  test('is refused at start, with the fix in the message', () => {
    const { status, stderr } = runHub('config/mesh-sandbox.yaml', { REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(status).toBe(1);
    expect(stderr).toContain('maxmemory-policy is "allkeys-lru"');
    expect(stderr).toContain('CONFIG SET maxmemory-policy noeviction');
  });
});

test('an unreachable Redis is one line naming REDIS_URL, its password hidden, and no ioredis stack', async () => {
  const port = await freePort();
  expectOneLine(runHub('config/mesh-sandbox.yaml', { REDIS_URL: `redis://:s3cret@127.0.0.1:${port}` }), `REDIS_URL redis://:***@127.0.0.1:${port}: cannot connect (ECONNREFUSED)`);
});

test('with several processes an unreachable Redis is still one line, from the primary', async () => {
  const port = await freePort();
  expectOneLine(runHub('config/mesh-sandbox.yaml', { REDIS_URL: `redis://127.0.0.1:${port}`, HUB_PROCESSES: '2' }), `REDIS_URL redis://127.0.0.1:${port}: cannot connect (ECONNREFUSED)`);
});

test.each([
  [{ PORT: 'abc' }, [], 'PORT abc: not a port number (1-65535)'],
  [{ HOST: '203.0.113.7' }, [], 'HOST 203.0.113.7: cannot listen there (EADDRNOTAVAIL)'],
  [{ HUB_PROCESSES: 'two' }, [], 'HUB_PROCESSES two: not a number of processes (1-64)'],
  [{ HUB_PROCESSES: 'two' }, ['--processes', '0'], '--processes 0: not a number of processes (1-64)'],
  [{}, ['--confg', 'x.yaml'], "Unknown option '--confg'; the hub takes --config FILE, --role all|api|worker and --processes N"],
  [{ CPIS_CONFIG: 'config/nowhere.yaml' }, [], 'config/nowhere.yaml: cannot read: ENOENT'],
])('a bad setting %j %j is one line naming it, and exit 1 (the rest of the settings: test/unit/hub-settings.test.ts)', (env, args, line) => {
  expectOneLine(runMain(args, env), line);
});

test('a port in use is one line naming PORT', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as { port: number };
  try {
    expectOneLine(runMain([], { PORT: String(port), HOST: '127.0.0.1' }), `PORT ${port}: already in use on 127.0.0.1 (EADDRINUSE)`);
  } finally {
    taken.close();
  }
});

/** `npm start` exactly as the README has it, with CPIS_CONFIG naming another file: that file is the one loaded. */
test('CPIS_CONFIG=config/mesh-sandbox.yaml npm start loads that file, and says so in its first log line', async () => {
  const prefix = `test:start:${randomUUID().slice(0, 8)}:`;
  const npm = spawn('npm', ['start'], {
    env: { ...process.env, NODE_OPTIONS: '', CPIS_CONFIG: 'config/mesh-sandbox.yaml', PORT: String(await freePort()), HOST: '127.0.0.1', REDIS_KEY_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  npm.stdout!.on('data', (d) => { out += d; });
  npm.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => npm.once('exit', resolve));
  try {
    for (let i = 0; i < 300 && !out.includes('hub listening') && npm.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('hub listening');
    const logLines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logLines[0]).toMatchObject({ message: 'configuration loaded', file: 'config/mesh-sandbox.yaml' });
  } finally {
    process.kill(-npm.pid!, 'SIGTERM'); // npm, its shell and the hub
    await exited;
    await deleteKeys(`${prefix}*`);
  }
}, 60_000);

test('every compose service comes back after a crash or a reboot', () => {
  const compose = parseYaml(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { restart?: string }> };
  expect(Object.entries(compose.services).filter(([, service]) => service.restart !== 'unless-stopped').map(([name]) => name)).toEqual([]);
});

const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
(hasCompose ? test : test.skip)('docker-compose.yml is valid', () => {
  expect(spawnSync('docker-compose', ['config', '-q'], { encoding: 'utf8' }).status).toBe(0);
});
