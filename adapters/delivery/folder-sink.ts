import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Delivery, Sink } from '../core/delivery.js';
import { deliverable } from './report-document.js';
import { sinkFailure, systemCode } from './sink-failure.js';

export interface FolderSinkOptions {
  /** Where the system the adapter serves picks files up; it must exist (the adapter creates it at start). */
  folder: string;
}

/**
 * `<messageId>.xml`: a MESH id kept to letters, digits, `_` and `-`, so no id can climb out
 * of the folder or hide as a dot file. The same message always gets the same name, so a
 * repeat delivery replaces the file instead of adding one.
 */
export function fileNameFor(messageId: string): string {
  return `${messageId.replace(/[^A-Za-z0-9_-]/g, '_')}.xml`;
}

/** Each message becomes one file, written durably before the MESH acknowledgement. */
export function folderSink(options: FolderSinkOptions): Sink {
  const { folder } = options;
  return {
    kind: 'folder',
    async deliver(message: Delivery) {
      const name = fileNameFor(message.id);
      try {
        await writeDurably(folder, name, deliverable(message).body);
      } catch (err) {
        throw sinkFailure('SINK_FAILED', `cannot write ${name} into folder ${folder} (${systemCode(err)})`);
      }
    },
    async close() {},
  };
}

/**
 * Writes `folder/name` so that a reader never sees half a file and a power cut after
 * this resolves cannot lose it: a temporary dot name, synced, renamed, folder synced.
 */
export async function writeDurably(folder: string, name: string, body: Buffer): Promise<void> {
  const temp = join(folder, `.${name}.tmp`);
  try {
    await writeSynced(temp, body);
    await rename(temp, join(folder, name));
    await syncFolder(folder);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

async function writeSynced(path: string, body: Buffer): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writeFile(body);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Makes the rename itself durable. */
async function syncFolder(folder: string): Promise<void> {
  const dir = await open(folder, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
