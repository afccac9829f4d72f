/**
 * The complete-file rule for drop folders. Writers either write under a temporary name and
 * rename into place (names starting with `.` or ending `.tmp`/`.part` are never taken), or
 * write in place, in which case a file is taken only once its size and modification time
 * have stayed the same for `settleMs`. Pure: the caller lists the folder and gives the time.
 */

export interface FileState {
  name: string;
  size: number;
  mtimeMs: number;
}

const IN_PROGRESS = /^\.|\.(tmp|part)$/i;

/** A name the source may take: not a file still being written, and one of the extensions. */
export function isCandidate(name: string, extensions: string[]): boolean {
  if (IN_PROGRESS.test(name)) return false;
  const lower = name.toLowerCase();
  return extensions.some((ext) => lower.endsWith(ext.toLowerCase()));
}

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

export class SettleTracker {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly settleMs: number) {}

  /**
   * Records one listing and returns the names unchanged for `settleMs`. A file seen for the
   * first time, or changed since the last listing, starts its wait again; names no longer
   * listed are forgotten.
   */
  observe(files: FileState[], now: number): string[] {
    const listed = new Set(files.map((f) => f.name));
    for (const name of this.seen.keys()) if (!listed.has(name)) this.seen.delete(name);
    const settled: string[] = [];
    for (const file of files) {
      const before = this.seen.get(file.name);
      if (!before || before.size !== file.size || before.mtimeMs !== file.mtimeMs) {
        this.seen.set(file.name, { size: file.size, mtimeMs: file.mtimeMs, since: now });
      }
      if (now - (this.seen.get(file.name) as Seen).since >= this.settleMs) settled.push(file.name);
    }
    return settled;
  }

  /** After a file was taken: a new file under the same name waits afresh. */
  forget(name: string): void {
    this.seen.delete(name);
  }
}
