import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackoffSettings } from '../../engine/pipeline/backoff.js';
import type { Logger } from '../../engine/log.js';
import type { Source } from '../core/delivery.js';
import { ensureFolder } from '../core/ensure-folder.js';
import { adapterError, AdapterFailure, type AdapterError } from '../core/errors.js';
import type { Prepare, Sender } from '../core/sender.js';
import { moveToRejected, moveToSent, moveToSkipped, REJECTED, SENT, SKIPPED } from './folder-layout.js';
import { fileLocalId } from './local-id.js';
import { RetrySchedule } from './retry-schedule.js';
import { isCandidate, SettleTracker, type FileState } from './settled-files.js';
import { submit } from './submit.js';

export { findSentFile, sidecarPath } from './folder-layout.js';

export interface FolderSourceOptions {
  folder: string;
  /** e.g. ['.xml']; compared without regard to case. */
  extensions: string[];
  /** How long a file's size and mtime must stay the same before it is taken. */
  settleMs: number;
  pollMs: number;
  prepare: Prepare;
  send: Sender;
  /** Backoff for files the hub could not take for a transient reason. */
  retry: BackoffSettings;
  log: Logger;
  /** Files sent at the same time. Default 4. */
  concurrency?: number;
  /** Larger files are rejected without being read. Default 100 MiB, the hub's request limit. */
  maxBytes?: number;
  /** Told of a file rejected before `prepare` sees it (empty, too large, unreadable): `prepare` and `send` tell of the rest. */
  onUnreadable?: () => void;
}

const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

type Outcome = 'sent' | 'rejected' | 'skipped' | 'waiting';

/**
 * Watches a drop folder (by polling, which works on network shares where change events do
 * not) and sends each complete file to the hub. A file leaves the folder only once it is
 * settled with the hub (sent/) or cannot ever be sent (rejected/); a transient fault leaves
 * it in place for a later try, so nothing in the folder is lost.
 */
export function folderSource(options: FolderSourceOptions): Source {
  return new FolderSource(options);
}

class FolderSource implements Source {
  readonly kind = 'folder';
  private readonly settle: SettleTracker;
  private readonly retries: RetrySchedule;
  private timer?: NodeJS.Timeout;
  private scanning: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The error code of the last failed listing, so an unreadable folder is logged once, not every poll. */
  private listingError?: string;

  constructor(private readonly options: FolderSourceOptions) {
    this.settle = new SettleTracker(options.settleMs);
    this.retries = new RetrySchedule(options.retry);
  }

  async start(): Promise<void> {
    const { folder, log } = this.options;
    for (const path of [folder, join(folder, SENT), join(folder, REJECTED), join(folder, SKIPPED)]) await ensureFolder(path, log, 'SOURCE_UNAVAILABLE');
    try {
      await readdir(folder);
    } catch (err) {
      throw new AdapterFailure(adapterError('SOURCE_UNAVAILABLE', `cannot read the folder ${folder}: ${errorCode(err)}`));
    }
    log.info('folder source watching', { folder, extensions: this.options.extensions });
    this.next(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  private next(delay: number): void {
    this.timer = setTimeout(() => {
      this.scanning = this.scan()
        .catch((err: Error) => { this.options.log.error('folder scan failed', { folder: this.options.folder, error: err.message }); })
        .finally(() => {
          if (!this.stopped) this.next(this.options.pollMs);
        });
    }, delay);
  }

  private async scan(): Promise<void> {
    const files = await this.list();
    if (!files) return;
    const now = Date.now();
    this.retries.retain(files.map((f) => f.name));
    const due = this.settle.observe(files, now).filter((name) => this.retries.isDue(name, now));
    if (due.length === 0) return;
    const outcomes = await eachLimited(due, this.options.concurrency ?? 4, (name) => (this.stopped ? undefined : this.take(name)));
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    const [sent, rejected, skipped] = [count('sent'), count('rejected'), count('skipped')];
    this.options.log.info('folder scan', { folder: this.options.folder, sent, rejected, skipped, waiting: files.length - sent - rejected - skipped });
  }

  /** The candidate files, or undefined when the folder cannot be read (logged once per change). */
  private async list(): Promise<FileState[] | undefined> {
    const { folder, log } = this.options;
    let names: string[];
    try {
      names = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile() && isCandidate(e.name, this.options.extensions)).map((e) => e.name);
    } catch (err) {
      if (this.listingError !== errorCode(err)) log.error('folder unreadable; still polling', { folder, code: errorCode(err) });
      this.listingError = errorCode(err);
      return undefined;
    }
    if (this.listingError) log.info('folder readable again', { folder });
    this.listingError = undefined;
    const states = await Promise.all(names.map((name) => fileState(folder, name)));
    return states.filter((s): s is FileState => s !== undefined);
  }

  private async take(name: string): Promise<Outcome> {
    try {
      return await this.sendFile(name);
    } catch (err) {
      // A fault of our own (moving the file, a bug): the file stays and is tried again later.
      const { attempts, delay } = this.retries.failed(name, Date.now());
      this.options.log.error('file not handled; will retry', { file: name, error: (err as Error).message, attempts, retryInMs: delay });
      return 'waiting';
    }
  }

  private async sendFile(name: string): Promise<Outcome> {
    const { folder, log } = this.options;
    const body = await readBody(join(folder, name), this.options.maxBytes ?? DEFAULT_MAX_BYTES);
    if (body === undefined) return 'waiting';
    if (!Buffer.isBuffer(body)) {
      this.options.onUnreadable?.();
      return this.reject(name, undefined, body);
    }
    const result = await submit(this.options, body, name, fileLocalId(name, body), name);
    if (result.ok && 'skipped' in result) return this.skip(name, result.skipped);
    if (result.ok) {
      await moveToSent(folder, name, result.messageId);
      this.forget(name);
      log.info('file sent', { file: name, localId: result.localId, messageId: result.messageId });
      return 'sent';
    }
    if (result.error.permanent) return this.reject(name, result.localId, result.error);
    const { attempts, delay } = this.retries.failed(name, Date.now());
    log.warn('file not sent; will retry', { file: name, localId: result.localId, code: result.error.code, attempts, retryInMs: delay });
    return 'waiting';
  }

  private async reject(name: string, localId: string | undefined, error: AdapterError): Promise<Outcome> {
    await moveToRejected(this.options.folder, name, error);
    this.forget(name);
    this.options.log.warn('file rejected', { file: name, localId, code: error.code });
    return 'rejected';
  }

  private async skip(name: string, reason: string): Promise<Outcome> {
    await moveToSkipped(this.options.folder, name, reason);
    this.forget(name);
    this.options.log.info('file skipped', { file: name, reason });
    return 'skipped';
  }

  private forget(name: string): void {
    this.settle.forget(name);
    this.retries.forget(name);
  }
}

/** The file's content; why it cannot be sent (empty, unreadable); undefined if it has gone meanwhile. */
async function readBody(path: string, maxBytes: number): Promise<Buffer | AdapterError | undefined> {
  let body: Buffer;
  try {
    const { size } = await stat(path);
    if (size > maxBytes) return adapterError('TOO_LARGE', `the file is ${size} bytes, more than the ${maxBytes} this source takes`);
    body = await readFile(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    return adapterError('SOURCE_UNAVAILABLE', `cannot read the file: ${errorCode(err)}`, { permanent: true });
  }
  return body.length === 0 ? adapterError('EMPTY', 'the file is empty') : body;
}

async function fileState(folder: string, name: string): Promise<FileState | undefined> {
  try {
    const { size, mtimeMs } = await stat(join(folder, name));
    return { name, size, mtimeMs };
  } catch {
    return undefined; // gone between listing and stat: taken by someone else or renamed
  }
}

/** Runs `fn` over the items, at most `limit` at a time, keeping the order of results. */
async function eachLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R> | R): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}
