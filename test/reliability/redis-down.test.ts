import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDmsQuery } from '../../engine/cpis/dms/query.js';
import { freePort } from '../../scripts/spawn-ready.js';
import { Staff } from '../console/staff.js';
import { attendanceXml, client, SAMPLE_CONFIG } from '../support/cpis.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { careTeamPath, dmsQuery, ED_USER, fhirGet, hl7v3Post, queryToken, spineCode } from '../support/query.js';
import { kill, ping, stopAll } from '../support/redis-servers.js';
import { until } from '../support/wait.js';

/*
 * The hub as a real process on a Redis of its own, which is then killed: every surface says
 * "unavailable, try again" (what clients retry), never "internal error"; readiness says why;
 * the log stays JSON; and all of it comes back when Redis does.
 */
const dir = mkdtempSync(join(tmpdir(), 'cpisx-redis-down-'));
const servers = new Map<number, ChildProcess>();
let port: number;
let hub: HubProcess;
const CHILD = '9689177621';

function startRedis(): Promise<true | undefined> {
  servers.set(port, spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  return until(() => ping(port), 10_000, 50);
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  hub = await spawnHub(SAMPLE_CONFIG, { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_CLUSTER_NODES: undefined });
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await stopAll(servers, dir);
});

test('with its Redis killed every surface answers 503 and readiness says why; all of it works again once Redis is back', async () => {
  const [token, staff] = await Promise.all([queryToken(hub), Staff.login(hub.url, 'viewer')]);
  await kill(servers.get(port)!);

  const ready = await fetch(`${hub.url}/health/ready`);
  expect([ready.status, (await ready.json()).code]).toEqual([503, 'REDIS_UNREACHABLE']);
  const trust = client(hub, 'RR8PAS');
  const attendance = { to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(CHILD, 'DOWN-1'), localId: 'DOWN-1' };
  await expect(trust.send(attendance)).rejects.toMatchObject({ status: 503, meshCode: '503' });
  const careTeam = await fhirGet(hub, careTeamPath(CHILD), token, ED_USER);
  expect([careTeam.status, spineCode(careTeam)]).toEqual([503, 'UNABLE_TO_CALL_SERVICE']);
  const v3 = await hl7v3Post(hub, buildDmsQuery(dmsQuery()), token);
  expect([v3.status, v3.xml.includes('typeCode="AR"')]).toEqual([503, true]);
  const overview = await staff.get('/overview');
  expect([overview.status, overview.body?.code]).toEqual([503, 'UNAVAILABLE']);

  await startRedis();
  await until(async () => ((await fetch(`${hub.url}/health/ready`)).status === 200 || undefined), 20_000, 200);
  expect(await trust.send(attendance)).toMatch(/^\d{20}_[0-9A-F]{6}$/);
  // This Redis keeps nothing on disk, so the token went with it: a new one, as a client would ask after a 401.
  expect((await fhirGet(hub, careTeamPath(CHILD), await queryToken(hub), ED_USER)).status).toBe(200);
  const lines = hub.output().split('\n').filter((line) => line.trim());
  expect(lines.filter((line) => !line.startsWith('{')).slice(0, 5)).toEqual([]);
  expect(lines.filter((line) => line.includes('"request failed"') || line.includes('query failed"'))).toEqual([]);
}, 60_000);
