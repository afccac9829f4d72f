import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { describeError, type AdapterError } from '../core/errors.js';

/**
 * Where a drop folder's files go once handled:
 *   sent/<name>                 the file the hub accepted
 *   sent/<name>.message-id      its MESH message id and a newline
 *   rejected/<name>             a file that cannot be sent, or that the hub reported on after taking it
 *   rejected/<name>.error.txt   why (describeError)
 *   skipped/<name>              a file that is fine but not for the hub (an HL7 feed's other events)
 *   skipped/<name>.reason.txt   why
 * Other sidecars may sit beside a sent file (the LA adapter puts `<name>.ack.xml` there).
 * The sidecar is written first and created exclusively, so it reserves the final name: a
 * name already taken gets a numbered suffix (`att.xml` → `att-2.xml`) and the sidecar is
 * named after it.
 */
export const SENT = 'sent';
export const REJECTED = 'rejected';
export const SKIPPED = 'skipped';
const MESSAGE_ID = '.message-id';
const ERROR = '.error.txt';
const REASON = '.reason.txt';

/** The path of a sidecar (e.g. `.ack.xml`) beside a file in sent/. */
export function sidecarPath(sentFile: string, suffix: string): string {
  return `${sentFile}${suffix}`;
}

/** Moves a file the hub accepted into sent/ after recording its message id; returns its new path. */
export function moveToSent(folder: string, name: string, messageId: string): Promise<string> {
  return place(join(folder, name), join(folder, SENT), MESSAGE_ID, `${messageId}\n`);
}

/** Moves a file that cannot be sent into rejected/ after writing the reason; returns its new path. */
export function moveToRejected(folder: string, name: string, error: AdapterError): Promise<string> {
  return place(join(folder, name), join(folder, REJECTED), ERROR, describeError(error));
}

/**
 * Moves a file from sent/ into rejected/ after writing the reason, for a file the hub took
 * and then reported on; its `.message-id` goes (the reason names the message). Returns its new path.
 */
export async function moveSentToRejected(sentFile: string, error: AdapterError): Promise<string> {
  const final = await place(sentFile, join(dirname(dirname(sentFile)), REJECTED), ERROR, describeError(error));
  await rm(sidecarPath(sentFile, MESSAGE_ID), { force: true });
  return final;
}

/** Moves a file that is not for the hub into skipped/ after writing why; returns its new path. */
export function moveToSkipped(folder: string, name: string, reason: string): Promise<string> {
  return place(join(folder, name), join(folder, SKIPPED), REASON, `${reason}\n`);
}

/**
 * The file in sent/ that went out as `messageId`, or undefined. Reads every `.message-id`
 * sidecar: fine for a folder's worth of files, which operators are expected to archive.
 * The same document sent twice (copied back after a crash) leaves two files with one id:
 * the one sent first is returned.
 */
export async function findSentFile(folder: string, messageId: string): Promise<string | undefined> {
  const dir = join(folder, SENT);
  const matches: { file: string; at: number }[] = [];
  for (const sidecar of (await listIfPresent(dir)).filter((n) => n.endsWith(MESSAGE_ID))) {
    const file = join(dir, sidecar.slice(0, -MESSAGE_ID.length));
    if ((await readIfPresent(join(dir, sidecar)))?.trim() !== messageId || !(await exists(file))) continue;
    matches.push({ file, at: (await stat(join(dir, sidecar))).mtimeMs });
  }
  return matches.sort((a, b) => a.at - b.at)[0]?.file;
}

/** Moves `from` into `dir` under its own name (or the first free numbered one), with a sidecar. */
async function place(from: string, dir: string, suffix: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true }); // an operator may have archived the whole folder meanwhile
  const final = join(dir, await reserve(dir, basename(from), suffix, text));
  await rename(from, final);
  return final;
}

/** The first free name, claimed by creating its sidecar; or one whose move a crash interrupted. */
async function reserve(dir: string, name: string, suffix: string, text: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : numbered(name, n);
    try {
      await writeFile(join(dir, candidate + suffix), text, { flag: 'wx' });
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const interrupted = (await readIfPresent(join(dir, candidate + suffix))) === text && !(await exists(join(dir, candidate)));
    if (interrupted) return candidate;
  }
}

function numbered(name: string, n: number): string {
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}-${n}${ext}`;
}

/** Nothing sent yet, or sent/ archived by an operator, is an empty folder. */
async function listIfPresent(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
