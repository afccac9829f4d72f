import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { freePort, type ReadyProcess } from '../../scripts/spawn-ready.js';
import { SAMPLE_CONFIG } from '../../scripts/sample-exchange.js';
import { adapterSite, startAdapter } from '../support/adapter-process.js';
import { makeCertificates } from '../support/certificates.js';
import { spawnHub } from '../support/hub-process.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The image's health check, as Docker runs it in the container, pointed at one process. */
function healthcheck(pid: number | undefined): { status: number | null; line: string } {
  const run = spawnSync(process.execPath, ['--import', TSX, 'adapters/ops/healthcheck.ts', String(pid)], {
    encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 30_000,
  });
  return { status: run.status, line: `${run.stdout}${run.stderr}`.trim() };
}

/**
 * The container health check against real processes: it reads each one's command line,
 * environment, working folder and configuration, as that process did, to know where and how
 * to ask.
 */
describe('the health check program', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpisx-healthcheck-'));
  const running: ReadyProcess[] = [];

  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL');
  });

  test('asks a hub serving mesh.tls with client certificates over HTTPS, and takes its own certificate; a stopped hub is not ready', async () => {
    const file = makeCertificates(dir, {});
    const config = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as { mesh: Record<string, unknown> };
    config.mesh.tls = { key: file('server.key'), cert: file('server.crt'), ca: file('ca.crt'), requireClientCert: true };
    writeFileSync(join(dir, 'hub.yaml'), stringifyYaml(config));
    const hub = await spawnHub(join(dir, 'hub.yaml'), { HOST: '127.0.0.1' });
    running.push(hub);
    const port = new URL(hub.url).port;
    expect(healthcheck(hub.child.pid)).toEqual({ status: 0, line: `ready: https://127.0.0.1:${port}/health/ready` });
    await hub.stop();
    expect(healthcheck(hub.child.pid).status).toBe(1);
  }, 60_000);

  test('asks an adapter on the port its file gives (no ADAPTER_HEALTH_PORT), and says when an adapter serves none', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const port = await freePort();
    const withPort = await startAdapter(adapterSite('la', dead, (c) => { c.ops = { port }; }));
    running.push(withPort);
    // The hub cannot be reached, so the adapter itself answers 503: asked where it listens.
    expect(healthcheck(withPort.child.pid)).toEqual({ status: 1, line: `not ready: http://127.0.0.1:${port}/health/ready: it answered 503` });
    const without = await startAdapter(adapterSite('la', dead, () => {}));
    running.push(without);
    const answer = healthcheck(without.child.pid);
    expect(answer.status).toBe(1);
    expect(answer.line).toMatch(/^not ready: the la adapter serves no \/health\/ready: give it ops.port in .*la\.yaml or ADAPTER_HEALTH_PORT \(NO_OPS_SERVER\)$/);
  }, 60_000);
});
