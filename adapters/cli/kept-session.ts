import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The session cookie a command signed in with, kept for the next command against the same
 * hub as the same user: one file each under $XDG_STATE_HOME/cpisx/sessions (default
 * ~/.local/state), the directory 0700 and the file 0600, as the cookie lets its holder act
 * as that user until the hub's idle timeout ends it. A file anyone else could read or write
 * is not used.
 */
function directory(): string {
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'cpisx', 'sessions');
}

function file(hub: string, username: string): string {
  return join(directory(), `${createHash('sha256').update(`${hub}\n${username}`).digest('hex').slice(0, 32)}.json`);
}

export async function keptCookie(hub: string, username: string): Promise<string | undefined> {
  const path = file(hub, username);
  const stat = await lstat(path).catch(() => undefined);
  if (!stat?.isFile() || (stat.mode & 0o077) !== 0 || stat.uid !== process.getuid?.()) return undefined;
  try {
    const kept = JSON.parse(await readFile(path, 'utf8')) as { hub?: string; username?: string; cookie?: string };
    return kept.hub === hub && kept.username === username ? kept.cookie : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole to a file of its own then renamed, so two commands at once never leave half a file. */
export async function keepCookie(hub: string, username: string, cookie: string): Promise<void> {
  await mkdir(directory(), { recursive: true, mode: 0o700 });
  const path = file(hub, username);
  const partial = `${path}.${randomBytes(6).toString('hex')}`;
  await writeFile(partial, JSON.stringify({ hub, username, cookie }), { mode: 0o600, flag: 'wx' });
  await rename(partial, path);
}

export async function forgetCookie(hub: string, username: string): Promise<void> {
  await rm(file(hub, username), { force: true });
}
