import { readFileSync } from 'node:fs';
import type { Redis, Result } from 'ioredis';
import { defineScript } from '../redis/scripts.js';

/** The mailbox's atomic steps, one Lua file each, registered on a connection as commands. */
const SCRIPTS = {
  mailboxSend: 7,
  mailboxChunk: 5,
  mailboxAcknowledge: 3,
  mailboxExpire: 4,
  mailboxPurge: 5,
} as const;

const FILES: Record<keyof typeof SCRIPTS, string> = {
  mailboxSend: 'send.lua',
  mailboxChunk: 'chunk.lua',
  mailboxAcknowledge: 'acknowledge.lua',
  mailboxExpire: 'expire.lua',
  mailboxPurge: 'purge.lua',
};

type Arg = string | number | Buffer;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    mailboxSend(...args: Arg[]): Result<[string, number], Context>;
    mailboxChunk(...args: Arg[]): Result<string, Context>;
    mailboxAcknowledge(...args: Arg[]): Result<[string, string], Context>;
    mailboxExpire(...args: Arg[]): Result<number, Context>;
    mailboxPurge(...args: Arg[]): Result<number, Context>;
  }
}

export function defineMailboxScripts(redis: Redis): void {
  for (const [name, numberOfKeys] of Object.entries(SCRIPTS)) {
    defineScript(redis, name, readFileSync(new URL(`./lua/${FILES[name as keyof typeof SCRIPTS]}`, import.meta.url), 'utf8'), numberOfKeys);
  }
}
