import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadLaConfig, loadPasConfig, loadPasQueryClient } from '../../adapters/config/load.js';
import { ConfigError } from '../../engine/config/yaml-file.js';
import { caught } from '../support/caught.js';

const dir = mkdtempSync(join(tmpdir(), 'cpisx-adapter-config-'));
let n = 0;

/** The sample file with one change, written where the loader can read it. */
function variant(sample: 'pas' | 'la', change: (raw: any) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const raw = parseYaml(readFileSync(`config/${sample}.yaml`, 'utf8'));
  change(raw);
  const file = join(dir, `${sample}-${n++}.yaml`);
  writeFileSync(file, stringifyYaml(raw));
  return file;
}

function problem(load: () => unknown, file: string): string {
  const err = caught(load);
  expect(err).toBeInstanceOf(ConfigError);
  const message = (err as Error).message;
  expect(message).not.toContain('\n');
  expect(message.startsWith(`${file}: `) || message.startsWith('MESH_URL')).toBe(true);
  return message;
}

test('the sample files load, with durations in milliseconds and defaults filled in', () => {
  const pas = loadPasConfig('config/pas.yaml', {});
  expect(pas.mesh).toMatchObject({ url: 'http://127.0.0.1:8700', mailbox: 'RR8PAS', password: 'trust-password', timeout: 60_000 });
  expect(pas.hub).toEqual({ mailbox: 'X26HUB', workflow: 'CPIS_ATTENDANCE' });
  expect(pas.sources.folder).toEqual({ path: 'var/pas/attendances', settle: 1000, poll: 1000 });
  expect(pas.sources.hl7?.departmentType).toBe('01');
  const la = loadLaConfig('config/la.yaml', {});
  expect(la.hub.workflow).toBe('CPIS_PLAN_UPDATE');
  expect(la.sink).toEqual({ folder: { path: 'var/la/notifications' } });
  expect(la.retry).toEqual({ baseDelay: 1000, maxDelay: 300_000 });
  const national = loadLaConfig('config/la-national.yaml', {});
  expect(national.mesh).toMatchObject({ mailbox: 'LA709CSC', password: 'la709-password' });
  expect(national.sink).toEqual({ folder: { path: 'var/la-national/notifications' } });
});

test('secrets come from the environment or a file; MESH_URL and MESH_SHARED_KEY override the file', () => {
  writeFileSync(join(dir, 'key.txt'), 'from-a-file\n');
  const file = variant('la', (raw) => {
    raw.sample = false;
    raw.mesh.password = { env: 'LA_PASSWORD' };
    raw.mesh.sharedKey = { file: 'key.txt' };
    raw.sink = { webhook: { url: 'https://csc.example/hook', headers: { authorization: { env: 'CSC_TOKEN' } } } };
  });
  const cfg = loadLaConfig(file, { LA_PASSWORD: 'pw', CSC_TOKEN: 'Bearer t' });
  expect(cfg.mesh.password).toBe('pw');
  expect(cfg.mesh.sharedKey).toBe('from-a-file');
  expect(cfg.sink).toEqual({ webhook: { url: 'https://csc.example/hook', timeout: 10_000, headers: { authorization: 'Bearer t' } } });
  const moved = loadLaConfig(file, { LA_PASSWORD: 'pw', CSC_TOKEN: 't', MESH_URL: 'http://hub:8700', MESH_SHARED_KEY: 'k2' });
  expect(moved.mesh).toMatchObject({ url: 'http://hub:8700', sharedKey: 'k2' });
});

test.each([
  ['a missing mailbox', 'pas', (raw: any) => { delete raw.mesh.mailbox; }, 'mesh.mailbox'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a bad duration', 'la', (raw: any) => { raw.poll = 'often'; }, 'poll: "often" is not a duration'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['no source at all', 'pas', (raw: any) => { raw.sources = {}; }, 'sources: give at least one of folder, amqp, hl7'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['an unknown sink', 'la', (raw: any) => { raw.sink = { ftp: { path: 'x' } }; }, 'a sink is one of'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['an inline password outside a sample', 'la', (raw: any) => { raw.sample = false; }, 'mesh.password: inline secrets are for sample files only'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a hub URL that is not a URL', 'pas', (raw: any) => { raw.mesh.url = 'hub:port'; }, 'mesh.url: not an http:// or https:// URL'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['an HL7 source with nothing to listen on', 'pas', (raw: any) => { raw.sources.hl7 = {}; }, 'sources.hl7: give mllp, folder or both'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['an unknown key', 'la', (raw: any) => { raw.pol = 5; }, 'Unrecognized key'], // eslint-disable-line @typescript-eslint/no-explicit-any
])('%s is one clear line naming the file and the path', (_name, sample, change, expected) => {
  const file = variant(sample as 'pas' | 'la', change);
  const load = sample === 'pas' ? () => loadPasConfig(file, {}) : () => loadLaConfig(file, {});
  expect(problem(load, file)).toContain(expected);
});

test('the PAS file\'s query section: its secret alone is read, its URL defaults to the adapter\'s hub', () => {
  expect(loadPasQueryClient('config/pas.yaml', {})).toEqual({
    url: 'http://127.0.0.1:8700', clientId: 'rr8-ed', secret: 'rr8-ed-secret',
    user: { name: 'Dr Sam Patel', role: 'Emergency Medicine Consultant', id: '555000000999' },
  });
  const file = variant('pas', (raw) => {
    raw.sample = false;
    raw.mesh.password = { env: 'MESH_PASSWORD_NOT_NEEDED_HERE' };
    raw.mesh.sharedKey = { env: 'MESH_KEY_NOT_NEEDED_HERE' };
    raw.query = { clientId: 'rr8-ed', secret: { env: 'QUERY_SECRET' } };
  });
  expect(loadPasQueryClient(file, { QUERY_SECRET: 's3', MESH_URL: 'http://hub:8700' })).toEqual({ url: 'http://hub:8700', clientId: 'rr8-ed', secret: 's3' });
  expect(loadPasQueryClient(variant('pas', (raw) => { delete raw.query; }), {})).toBeUndefined();
  const inline = variant('pas', (raw) => { raw.sample = false; raw.mesh.password = { env: 'P' }; raw.mesh.sharedKey = { env: 'K' }; });
  expect(problem(() => loadPasQueryClient(inline, {}), inline)).toContain('query.secret: inline secrets are for sample files only');
  const unset = variant('pas', (raw) => { raw.query.secret = { env: 'NOT_SET_ANYWHERE' }; });
  expect(problem(() => loadPasQueryClient(unset, {}), unset)).toContain('query.secret: environment variable NOT_SET_ANYWHERE is not set');
  // The adapter itself never reads it, so it starts where only cpisx query's secret is missing.
  expect(loadPasConfig(unset, {})).not.toHaveProperty('query');
});

test('a secret from an unset variable names the variable', () => {
  const file = variant('pas', (raw) => { raw.mesh.password = { env: 'NOT_SET_ANYWHERE' }; });
  expect(problem(() => loadPasConfig(file, {}), file)).toContain('mesh.password: environment variable NOT_SET_ANYWHERE is not set');
});

test('ops: no server unless a port is given, loopback and a 5-minute heartbeat by default; ADAPTER_HEALTH_PORT sets the port', () => {
  expect(loadPasConfig('config/pas.yaml', {}).ops).toEqual({ host: '127.0.0.1', heartbeat: 300_000 });
  const file = variant('la', (c) => { c.ops = { port: 9300, host: '0.0.0.0', heartbeat: '1m' }; });
  expect(loadLaConfig(file, {}).ops).toEqual({ port: 9300, host: '0.0.0.0', heartbeat: 60_000 });
  expect(loadLaConfig(file, { ADAPTER_HEALTH_PORT: '9102' }).ops.port).toBe(9102);
  expect(loadPasConfig('config/pas.yaml', { ADAPTER_HEALTH_PORT: '9101' }).ops.port).toBe(9101);
  const err = caught(() => loadPasConfig('config/pas.yaml', { ADAPTER_HEALTH_PORT: 'ninety' }));
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toBe('ADAPTER_HEALTH_PORT: not a port: ninety');
});

test('ADAPTER_HEALTH_HOST sets the address the ops server listens on; one that is not an address is refused', () => {
  expect(loadPasConfig('config/pas.yaml', { ADAPTER_HEALTH_HOST: '0.0.0.0' }).ops.host).toBe('0.0.0.0');
  expect(loadLaConfig('config/la.yaml', { ADAPTER_HEALTH_HOST: '::' }).ops.host).toBe('::');
  const err = caught(() => loadPasConfig('config/pas.yaml', { ADAPTER_HEALTH_HOST: 'http://0.0.0.0' }));
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toBe('ADAPTER_HEALTH_HOST: not an IP address or host name: http://0.0.0.0');
  const file = variant('pas', (c) => { c.ops = { port: 9300, host: 'every interface' }; });
  expect(problem(() => loadPasConfig(file, {}), file)).toContain('ops.host');
});

test('an ops port out of range is refused, naming ops.port', () => {
  const file = variant('pas', (c) => { c.ops = { port: 70000 }; });
  expect(problem(() => loadPasConfig(file, {}), file)).toContain('ops.port');
});
