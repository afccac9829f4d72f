import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/hub-process.js';

const tmp = mkdtempSync(join(tmpdir(), 'cpisx-start-'));

/** Runs the hub to its exit and returns what it said; for starts that must fail. */
function runHub(configFile: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'engine/main.ts', '--config', configFile], {
    env: { ...process.env, NODE_OPTIONS: '', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

test('a bad configuration stops the hub with one line naming the file, the path and the fault', () => {
  const file = join(tmp, 'bad.yaml');
  writeFileSync(file, [
    'sample: true', 'sharedKey: k',
    'organisations: [{ ods: X26, name: Hub, kind: hub }]',
    'mailboxes: [{ id: X26HUB, organisation: X26, password: p }]',
    'workflows: [{ id: WF, senders: [NOBODY], recipients: [X26HUB] }]',
  ].join('\n'));
  const { status, stderr } = runHub(file);
  expect(status).toBe(1);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toContain(file);
  expect(stderr).toContain('workflows[0].senders[0]: no mailbox NOBODY');
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

test('an unreachable Redis is one clear line and exit 1', async () => {
  const { status, stderr } = runHub('config/mesh-sandbox.yaml', { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  expect(status).toBe(1);
  expect(stderr).toContain('Redis is not reachable');
});

const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
(hasCompose ? test : test.skip)('docker-compose.yml is valid', () => {
  expect(spawnSync('docker-compose', ['config', '-q'], { encoding: 'utf8' }).status).toBe(0);
});
