import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isCandidate } from '../sources/settled-files.js';

/** A drop folder and the files in it that its source takes. */
export interface OutgoingFolder {
  path: string;
  extensions: string[];
}

/**
 * Seconds since the oldest file a source would take was last written, over all the
 * outgoing folders; 0 when none waits. A folder that cannot be read counts as empty here:
 * readiness reports it.
 */
export async function oldestWaitingSeconds(folders: OutgoingFolder[], now = Date.now()): Promise<number> {
  const times = (await Promise.all(folders.map(modifiedTimes))).flat();
  return times.length === 0 ? 0 : Math.max(0, (now - Math.min(...times)) / 1000);
}

async function modifiedTimes(folder: OutgoingFolder): Promise<number[]> {
  const entries = await readdir(folder.path, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isFile() && isCandidate(e.name, folder.extensions)).map((e) => e.name);
  const times = await Promise.all(names.map((name) => stat(join(folder.path, name)).then((s) => s.mtimeMs, () => undefined)));
  return times.filter((t): t is number => t !== undefined);
}
