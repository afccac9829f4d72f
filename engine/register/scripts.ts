import { readFileSync } from 'node:fs';
import type { Redis, Result } from 'ioredis';
import { defineVariableKeyScript } from '../redis/scripts.js';

/** The register's atomic steps, one Lua file each; the key count varies with the batch, so it is passed per call. */
const SCRIPTS = {
  registerReadBatch: 'read-batch.lua',
  registerApplyBatch: 'apply-batch.lua',
  registerRecordAccess: 'record-access.lua',
} as const;

type Arg = string | number;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    registerReadBatch(numberOfKeys: number, ...args: Arg[]): Result<[(string | null)[], ...string[][]], Context>;
    registerApplyBatch(numberOfKeys: number, ...args: Arg[]): Result<0 | 1, Context>;
    registerRecordAccess(numberOfKeys: number, ...args: Arg[]): Result<0 | 1, Context>;
  }
}

export function defineRegisterScripts(redis: Redis): void {
  for (const [name, file] of Object.entries(SCRIPTS)) {
    if (typeof (redis as unknown as Record<string, unknown>)[name] === 'function') continue;
    defineVariableKeyScript(redis, name, readFileSync(new URL(`./lua/${file}`, import.meta.url), 'utf8'));
  }
}
