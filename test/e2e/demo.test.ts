import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../scripts/spawn-ready.js';
import { REDIS_URL } from '../support/hub.js';

/**
 * `npm run demo` is a newcomer's first run: it must show every answer, to the LA on our dialect
 * and to the one on the national documents, and leave nothing behind.
 */
test('the demo shows both LAs\' acknowledgements, the flag response naming both and each LA\'s notification, then stops cleanly', async () => {
  const child = spawn('npm', ['run', '-s', 'demo'], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

  expect({ code, out }).toMatchObject({ code: 0 });
  expect(out).toMatch(/Leeds's acknowledgement, written beside the sent file: .*plans-0001\.xml\.ack\.xml\n<\?xml[^>]*>\n<planUpdateAck /);
  expect(out).toContain('<status>CPF02</status>');
  expect(out).toMatch(/Bradford's FileResponse, written beside the sent file: .*bradford-1042\.xml\.ack\.xml\n<\?xml[^>]*>\n<FileResponse xmlns="urn:hl7-org:v3"/);
  expect(out).toContain('code="CPF02"');
  const flag = out.match(/flag response delivered to the PAS[^\n]*\n([\s\S]*?<\/flagResponse>)/)?.[1] ?? '';
  expect([...flag.matchAll(/<ods>(\d+)<\/ods>/g)].map((m) => m[1]).sort()).toEqual(['706', '709']);
  expect(out).toMatch(/access notification delivered to Leeds: .*_N706\.xml\n<\?xml[^>]*>\n<accessNotification /);
  expect(out).toMatch(/national access notification delivered to Bradford: .*_N709\.xml\n<\?xml[^>]*>\n<CP-ISAccessToServiceNotification xmlns="urn:hl7-org:v3"/);
  expect(out).toContain('Stopped the hub and the adapters');
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
