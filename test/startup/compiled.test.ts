import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { attendanceXml, PASSWORDS, SAMPLE_CONFIG, SHARED_KEY } from '../../scripts/sample-exchange.js';
import { freePort, spawnReady } from '../../scripts/spawn-ready.js';
import { collect, NHS } from '../support/cpis.js';
import { deleteKeys, REDIS_URL } from '../support/hub.js';

/** The container health check, under dist/. */
const HEALTHCHECK = 'adapters/ops/healthcheck.js';
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; dependencies: Record<string, string>; scripts: Record<string, string> };

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The packages a module imports by name (`from 'x'`, `import 'x'`, `import('x')`), scope kept. */
function importedPackages(source: string): string[] {
  const statics = [...source.matchAll(/^(?:import|export)\s+(?:[\w$*\s{},]+?\s+from\s*)?['"]([^'"]+)['"]/gm)];
  const dynamics = [...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)];
  const names = [...statics, ...dynamics].map((m) => m[1]).filter((name) => !name.startsWith('.'));
  return names.map((name) => name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/'));
}

/**
 * The hub and cpisx as the image runs them: `npm run build` into a folder of its own (so no
 * other test's dist/ is touched), laid out as the Dockerfile's runtime stage lays out /app
 * (package.json, node_modules, dist/), started by plain `node` from that folder.
 */
describe('the build, run as the image runs it', () => {
  const app = mkdtempSync(join(tmpdir(), 'cpisx-compiled-'));
  const dist = join(app, 'dist');
  const keyPrefix = `cpisx-compiled-${randomUUID().slice(0, 8)}:`;

  beforeAll(async () => {
    // --noCheck: `npm run lint` type-checks; the emitted JavaScript is the same.
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--outDir', dist, '--noCheck'], { encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`build failed (${build.status}):\n${build.stdout}${build.stderr}`);
    copyFileSync('package.json', join(app, 'package.json'));
    symlinkSync(resolve('node_modules'), join(app, 'node_modules'));
  }, 150_000);

  afterAll(async () => {
    await deleteKeys(`${keyPrefix}*`);
    rmSync(app, { recursive: true, force: true });
  });

  test('the build imports only production dependencies and Node\'s own modules, and tsx is not one of them', () => {
    const imported = new Set(jsFiles(dist).flatMap((file) => importedPackages(readFileSync(file, 'utf8'))));
    const builtin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);
    expect(imported).toContain('fastify');
    expect([...imported].filter((name) => !builtin(name) && !(name in pkg.dependencies))).toEqual([]);
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
  });

  test('the compiled hub is ready, serves the console\'s files and answers an attendance with its flag', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const hub = await spawnReady({
      script: join(dist, 'engine/main.js'),
      args: ['--config', resolve(SAMPLE_CONFIG)],
      cwd: app,
      env: { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, PORT: String(port), HOST: '127.0.0.1' },
      ready: 'hub listening',
    });
    try {
      const ready = await fetch(`${url}/health/ready`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
      // The image's health check, compiled, finds where the hub serves from the hub's own settings.
      const check = spawnSync(process.execPath, [join(dist, HEALTHCHECK), String(hub.child.pid)], { cwd: app, encoding: 'utf8' });
      expect([check.status, check.stdout]).toEqual([0, `ready: ${url}/health/ready\n`]);
      expect((await fetch(`${url}/console/static/app.js`)).status).toBe(200);

      // Sending runs the mailbox's Lua scripts; the flag needs the XSDs and the register's scripts.
      const mesh = (mailboxId: string) => new MeshClient({ baseUrl: url, mailboxId, password: PASSWORDS[mailboxId], sharedKey: SHARED_KEY });
      const sent = await mesh('RR8PAS').send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(NHS[0], `ATT-${keyPrefix}`) });
      const [flag] = await collect(mesh('RR8PAS'), 1, 20_000);
      expect(flag?.headers).toMatchObject({ workflowId: 'CPIS_ATTENDANCE_RESPONSE', linkedMsgId: sent });
    } finally {
      await hub.stop();
    }
  }, 45_000);

  test('the compiled cpisx runs as a program (its shebang and mode) and knows its version', () => {
    const run = spawnSync(join(dist, 'adapters/cli/cpisx.js'), ['--version'], { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect([run.status, run.stdout]).toEqual([0, `${pkg.version}\n`]);
  });
});

describe('the image', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const instructions = (name: string) => runtime.split('\n').filter((line) => line.startsWith(`${name} `));

  test('builds in one stage and runs dist/ with production dependencies only, as a user other than root', () => {
    expect(dockerfile).toMatch(/^FROM \S+ AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(runtime).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(runtime).toContain('npm ci --omit=dev');
    expect(instructions('COPY').filter((line) => !line.startsWith('COPY --from=build'))).toEqual(['COPY package.json package-lock.json ./']);
    expect(instructions('USER')).toEqual(['USER node']);
    // The image runs what npm run start:prod runs, node flags included (the benchmark measures that).
    expect(instructions('CMD')).toEqual([`CMD ${JSON.stringify(pkg.scripts['start:prod'].split(' '))}`.replace(/","/g, '", "')]);
    expect(runtime).toMatch(new RegExp(`^HEALTHCHECK [^]*CMD \\["node", "/app/dist/${HEALTHCHECK}"\\]$`, 'm'));
  });

  test('holds no configuration: it is mounted', () => {
    expect(readFileSync('.dockerignore', 'utf8').split('\n')).toContain('config');
  });
});

describe('docker-compose.yml', () => {
  interface Service { command?: string[]; ports?: string[]; volumes?: string[]; healthcheck?: { test: string[] }; environment?: Record<string, string> }
  const services = (parseYaml(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Service> }).services;
  const built = Object.entries(services).filter(([name]) => name === 'hub' || name.endsWith('-adapter'));

  test('publishes ports on 127.0.0.1 only', () => {
    const ports = Object.values(services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.filter((port) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });

  test('mounts ./config read-only into the hub and the adapters, which run dist/ and are health-checked by the image program', () => {
    expect(built.map(([name]) => name).sort()).toEqual(['hub', 'la-adapter', 'pas-adapter']);
    for (const [name, service] of built) {
      expect([name, service.volumes]).toEqual([name, expect.arrayContaining(['./config:/app/config:ro'])]);
      // The image's program, which finds each one's port and scheme itself (test/startup/healthcheck.test.ts).
      expect([name, service.healthcheck?.test]).toEqual([name, ['CMD', 'node', `/app/dist/${HEALTHCHECK}`]]);
    }
    for (const [name, service] of built.filter(([n]) => n !== 'hub')) {
      expect([name, service.command?.[1]]).toEqual([name, '/app/dist/adapters/cli/cpisx.js']);
    }
  });

  test('the adapters listen for a Prometheus on the compose network, publish nothing, and are the example scrape targets', () => {
    const adapters = built.filter(([n]) => n !== 'hub');
    for (const [name, service] of adapters) {
      expect([name, service.environment?.ADAPTER_HEALTH_HOST, service.ports]).toEqual([name, '0.0.0.0', undefined]);
    }
    const scrape = parseYaml(readFileSync('ops/prometheus/prometheus.yml', 'utf8')) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    const targets = scrape.scrape_configs.find((job) => job.job_name === 'cpis-adapter')!.static_configs.flatMap((c) => c.targets);
    expect(targets.sort()).toEqual(adapters.map(([name, service]) => `${name}:${service.environment?.ADAPTER_HEALTH_PORT}`).sort());
  });
});
