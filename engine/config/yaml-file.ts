import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { SecretSource } from './secret.js';

/** A configuration problem: one line naming the file, the path inside it and what is wrong. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Reads a YAML file and checks it against a schema; every fault becomes one ConfigError line. */
export function readConfigFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
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
  return checkConfig(schema, raw, file);
}

export function checkConfig<S extends z.ZodType>(schema: S, raw: unknown, file: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${file}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** A secret's value: inline, from the environment, or from a file relative to the configuration file. */
export function readSecret(source: SecretSource, file: string, path: string, env: NodeJS.ProcessEnv): string {
  const where = `${file}: ${path}`;
  if (typeof source === 'string') return source;
  if ('env' in source) {
    const value = env[source.env];
    if (!value) throw new ConfigError(`${where}: environment variable ${source.env} is not set`);
    return value;
  }
  try {
    return readFileSync(resolve(dirname(resolve(file)), source.file), 'utf8').trim();
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
