import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseAccessNotification } from '../../engine/cpis/xml/access-notification.js';
import { parseFlagResponse } from '../../engine/cpis/xml/flag-response.js';
import { spawnReady, type ReadyProcess } from '../../scripts/spawn-ready.js';

/** An adapter configuration as plain data: the sample file with a test's changes. */
export type AdapterSettings = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A working folder for one adapter, holding its configuration and its folders. */
export interface AdapterSite {
  kind: 'pas' | 'la';
  dir: string;
  file: string;
  /** A folder inside the site, created. */
  folder(path: string): string;
}

/**
 * Writes the sample `config/<sample>.yaml` (`config/<kind>.yaml` unless named), pointed at `hubUrl`,
 * with fast polling and short retries and `change` applied, into a fresh temporary folder (paths
 * in it are relative to that folder).
 */
export function adapterSite(kind: 'pas' | 'la', hubUrl: string, change: (cfg: AdapterSettings) => void, sample: string = kind): AdapterSite {
  const dir = mkdtempSync(join(tmpdir(), `cpisx-${sample}-`));
  const cfg = parseYaml(readFileSync(`config/${sample}.yaml`, 'utf8')) as AdapterSettings;
  cfg.mesh.url = hubUrl;
  cfg.retry = { baseDelay: 0.2, maxDelay: 2 };
  change(cfg);
  const file = join(dir, `${kind}.yaml`);
  writeFileSync(file, stringifyYaml(cfg));
  const folder = (path: string) => {
    mkdirSync(join(dir, path), { recursive: true });
    return join(dir, path);
  };
  return { kind, dir, file, folder };
}

/**
 * A PAS adapter taking attendances from a folder and writing flag responses to another, and an
 * LA adapter writing notifications to a folder, both polling fast: the pair the stream tests use.
 */
export function folderSites(hubUrl: string) {
  const pas = adapterSite('pas', hubUrl, (c) => {
    c.sources = { folder: { path: 'attendances', settle: 0.2, poll: 0.2 } };
    c.responses = { poll: 0.3, sink: { folder: { path: 'responses' } } };
  });
  const la = adapterSite('la', hubUrl, (c) => {
    c.poll = 0.3;
    c.sink = { folder: { path: 'notifications' } };
    delete c.planUploads;
  });
  return { pas, la, drops: pas.folder('attendances'), responses: pas.folder('responses'), notifications: la.folder('notifications') };
}

/** `cpisx adapter <kind>` as a real process in the site's folder, ready once all its parts run. */
export function startAdapter(site: AdapterSite, env: Record<string, string> = {}): Promise<ReadyProcess> {
  return spawnReady({
    script: join(process.cwd(), 'adapters/cli/cpisx.ts'),
    args: ['adapter', site.kind, '--config', site.file],
    cwd: site.dir,
    env: { LOG_LEVEL: 'info', ...env },
    ready: 'adapter running',
    timeoutMs: 30_000,
  });
}

/** Written under a dot name and renamed, as a PAS or LA system should drop a file for its adapter. */
export function drop(folder: string, name: string, content: string): void {
  writeFileSync(join(folder, `.${name}.tmp`), content);
  renameSync(join(folder, `.${name}.tmp`), join(folder, name));
}

/** The messages a folder holds, without those being written (dot names). */
export function xmlFiles(folder: string): string[] {
  return readdirSync(folder).filter((f) => f.endsWith('.xml') && !f.startsWith('.'));
}

/** The attendance ids of the flag responses or notifications in a sink folder, one entry per file. */
export function attendanceIds(folder: string, kind: 'flag' | 'notification'): string[] {
  return xmlFiles(folder).map((f) => {
    const body = readFileSync(join(folder, f));
    const parsed = kind === 'flag' ? parseFlagResponse(body) : parseAccessNotification(body);
    if (!parsed.ok) throw new Error(`${f} is not a ${kind}: ${parsed.error.message}`);
    return parsed.value.attendanceId;
  });
}
