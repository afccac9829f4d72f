import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type HubConfigFile, type MailboxConfig, type SecretSource } from './schema.js';

/** The configuration with every secret resolved to its value. */
export interface HubConfig extends Omit<HubConfigFile, 'mailboxes' | 'sharedKey'> {
  sharedKey: string;
  mailboxes: (Omit<MailboxConfig, 'password'> & { password: string })[];
}

/** A configuration problem: one line naming the file, the path inside it and what is wrong. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): HubConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return resolveConfig(raw, file, env);
}

export function resolveConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${file}: ${describeIssues(parsed.error.issues)}`);
  const cfg = parsed.data;
  const baseDir = dirname(resolve(file));
  const secretAt = (source: SecretSource, path: string) => readSecret(source, `${file}: ${path}`, baseDir, env);
  const sharedKey = env.MESH_SHARED_KEY ?? (cfg.sharedKey ? secretAt(cfg.sharedKey, 'sharedKey') : undefined);
  if (!sharedKey) throw new ConfigError(`${file}: sharedKey: not set; give sharedKey in the file or MESH_SHARED_KEY in the environment`);
  return {
    ...cfg,
    sharedKey,
    mailboxes: cfg.mailboxes.map((m, i) => ({ ...m, password: secretAt(m.password, `mailboxes[${i}].password`) })),
  };
}

function readSecret(source: SecretSource, where: string, baseDir: string, env: NodeJS.ProcessEnv): string {
  if (typeof source === 'string') return source;
  if ('env' in source) {
    const value = env[source.env];
    if (!value) throw new ConfigError(`${where}: environment variable ${source.env} is not set`);
    return value;
  }
  try {
    return readFileSync(resolve(baseDir, source.file), 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`${where}: cannot read secret file ${source.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}
