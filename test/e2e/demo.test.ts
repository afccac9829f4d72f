import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../scripts/spawn-ready.js';
import { REDIS_URL } from '../support/hub.js';

/**
 * `npm run demo` is a newcomer's first run: it must show every answer, to the LA on our dialect
 * and to the one on the national documents, and leave nothing behind.
 */
test('the demo shows both LAs\' acknowledgements, the flag response naming both, each LA\'s notification and two rejected attendances with their reasons, then stops cleanly', async () => {
  const logDir = mkdtempSync(join(tmpdir(), 'demo-logs-'));
  const child = spawn('npm', ['run', '-s', 'demo'], { env: { ...process.env, NODE_OPTIONS: '', DEMO_LOG_DIR: logDir }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  expect(out).toMatch(/Why attendance-0043\.xml was rejected: [^\n]*\nSCHEMA_INVALID: does not match attendance\.xsd\n/);
  expect(out).toMatch(/Why attendance-0044\.xml was rejected: [^\n]*\nHUB_REPORT: [^\n]*the NHS number fails the Modulus 11 check/);
  expect(out).toContain('Stopped the hub and the adapters');
  expectNoPatientData(logDir);
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

/** The documents the demo drops (scripts/demo.ts): the patient data that must never reach a log. */
const DEMO_DOCUMENTS = [
  'plan-update/valid/new-plans.xml', 'dms/upload/valid/one-child-cpp.xml', 'attendance/valid/emergency-department.xml',
  'attendance/invalid/clinician-without-name.xml', 'attendance/valid/nhs-number-fails-check-digit.xml',
];

/** Every log line of every process the demo ran (the hub and three adapters, JSON lines) is searched for each NHS number and name those documents carry. */
function expectNoPatientData(logDir: string): void {
  const text = DEMO_DOCUMENTS.map((f) => readFileSync(join('schemas/examples', f), 'utf8')).join('\n');
  const values = (pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((m) => m[1].trim()))];
  const nhsNumbers = values(/(?:<nhsNumber>|root="2\.16\.840\.1\.113883\.2\.1\.4\.1" extension=")(\d{10})/g);
  const names = values(/<(?:familyName|givenName|given|family)>([^<]+)</g);
  expect(nhsNumbers.length).toBeGreaterThanOrEqual(2);
  expect(names.length).toBeGreaterThanOrEqual(4);
  const files = readdirSync(logDir);
  expect(files).toHaveLength(4);
  const lines = files.flatMap((f) => readFileSync(join(logDir, f), 'utf8').split('\n').filter(Boolean));
  expect(lines.length).toBeGreaterThan(10);
  for (const line of lines) {
    expect(() => JSON.parse(line)).not.toThrow();
    for (const value of [...nhsNumbers, ...names]) expect({ line, carries: line.includes(value) }).toEqual({ line, carries: false });
  }
}
