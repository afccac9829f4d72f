import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { sleep } from '../support/wait.js';
import { deleteKeys, SANDBOX_CONFIG } from '../support/hub.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { meshRequest } from '../support/mesh-http.js';

const PREFIX = `test:expiry:${process.pid}:`;
let hubs: HubProcess[] = [];

beforeAll(async () => {
  const config = parse(readFileSync(SANDBOX_CONFIG, 'utf8'));
  config.mesh = { undeliveredAfter: '2s', deleteContentAfter: '1h', expirySweepEvery: 0.2 };
  const file = join(mkdtempSync(join(tmpdir(), 'cpisx-')), 'expiry.yaml');
  writeFileSync(file, stringify(config));
  hubs = await Promise.all([1, 2].map(() => spawnHub(file, { REDIS_KEY_PREFIX: PREFIX })));
}, 60_000);

afterAll(async () => {
  await Promise.all(hubs.map((h) => h.stop()));
  await deleteKeys(`${PREFIX}*`);
});


test('an uncollected message expires once, with one REPORT (14) to its sender, while two hubs sweep', async () => {
  const [a, b] = hubs;
  const sent = await meshRequest(a.url, 'POST', '/messageexchange/X26ABC1/outbox', {
    headers: { 'mex-to': 'X26ABC2', 'mex-workflowid': 'TEST_WORKFLOW', 'mex-localid': 'expire-me' },
    body: 'never collected',
  });
  expect(sent.status).toBe(202);
  const id = sent.json().message_id as string;
  const inboxOf = async (url: string, mailbox: string) =>
    (await meshRequest(url, 'GET', `/messageexchange/${mailbox}/inbox`, { mailbox })).json().messages as string[];
  expect(await inboxOf(b.url, 'X26ABC2')).toEqual([id]);

  await sleep(3500);

  expect(await inboxOf(a.url, 'X26ABC2')).toEqual([]);
  const reports = await inboxOf(b.url, 'X26ABC1');
  expect(reports).toHaveLength(1);
  const report = await meshRequest(a.url, 'GET', `/messageexchange/X26ABC1/inbox/${reports[0]}`);
  expect(report.status).toBe(200);
  expect(report.text).toBe('');
  expect(report.headers.get('mex-messagetype')).toBe('REPORT');
  expect(report.headers.get('mex-linkedmsgid')).toBe(id);
  expect(report.headers.get('mex-statuscode')).toBe('14');
  expect(report.headers.get('mex-statussuccess')).toBe('ERROR');
  expect(report.headers.get('mex-localid')).toBe('expire-me');
  expect(report.headers.get('mex-to')).toBe('X26ABC2');

  const tracked = await meshRequest(b.url, 'GET', `/messageexchange/X26ABC1/outbox/tracking?messageID=${id}`);
  expect(tracked.json()).toMatchObject({ status: 'undeliverable', status_code: '14', status_success: false });
  const gone = await meshRequest(a.url, 'GET', `/messageexchange/X26ABC2/inbox/${id}`, { mailbox: 'X26ABC2' });
  expect(gone.status).toBe(410);

  const expiredLogs = hubs.map((h) => h.output().split('\n').filter((l) => l.includes('message expired undelivered')).length);
  expect(expiredLogs[0] + expiredLogs[1]).toBe(1);
}, 30_000);
