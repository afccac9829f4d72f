import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../scripts/spawn-ready.js';
import { REDIS_URL } from '../support/hub.js';

/** `npm run demo` is a newcomer's first run: it must show all three answers and leave nothing behind. */
test('the demo shows the acknowledgement, the flag response and the notification, then stops cleanly', async () => {
  const child = spawn('npm', ['run', '-s', 'demo'], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

  expect({ code, out }).toMatchObject({ code: 0 });
  expect(out).toMatch(/acknowledgement, written beside the sent file: .*plans-0001\.xml\.ack\.xml/);
  expect(out).toContain('<status>CPF02</status>');
  expect(out).toMatch(/flag response delivered to the PAS[\s\S]*<flagResponse[\s\S]*<ods>706<\/ods>/);
  expect(out).toMatch(/access notification delivered to the LA[\s\S]*<accessNotification/);
  expect(out).toContain('Stopped the hub and both adapters');
  const redis = new Redis(REDIS_URL);
  try {
    expect(await redis.keys('demo:*')).toEqual([]);
  } finally {
    redis.disconnect();
  }
}, 90_000);

test('without Redis the demo says so in one line, with no ioredis stack, and exits 1', async () => {
  const port = await freePort();
  const run = spawnSync('npm', ['run', '-s', 'demo'], { env: { ...process.env, NODE_OPTIONS: '', REDIS_URL: `redis://127.0.0.1:${port}` }, encoding: 'utf8', timeout: 60_000 });
  expect([run.status, run.stdout + run.stderr]).toEqual([1,
    `demo failed: REDIS_URL redis://127.0.0.1:${port}: cannot connect (ECONNREFUSED); start Redis (docker compose up -d redis) or set REDIS_URL\n`]);
}, 90_000);
