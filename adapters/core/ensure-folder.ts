import { mkdir } from 'node:fs/promises';
import type { Logger } from '../../engine/log.js';
import { adapterError, AdapterFailure, type AdapterErrorCode } from './errors.js';

/**
 * Creates a folder the configuration names (and its parents) if it is missing, logging
 * one line when it does, so a fresh install runs at once. One that cannot be made (a
 * file in the way, no permission) is an AdapterFailure naming it, with `code`.
 */
export async function ensureFolder(folder: string, log: Logger, code: AdapterErrorCode): Promise<void> {
  let created: string | undefined;
  try {
    created = await mkdir(folder, { recursive: true });
  } catch (err) {
    throw new AdapterFailure(adapterError(code, `cannot create the folder ${folder}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
  }
  if (created !== undefined) log.info('folder created', { folder });
}
