import { randomBytes } from 'node:crypto';

let counter = 0;

/**
 * MESH-style id: `yyyyMMddHHmmssSSS` plus three digits of a per-process counter,
 * `_`, six random hex digits. Ids sort by time, which the inbox listing relies on.
 */
export function newMessageId(at: Date = new Date()): string {
  counter = (counter + 1) % 1000;
  const stamp = at.toISOString().replace(/[-T:.Z]/g, '');
  return `${stamp}${String(counter).padStart(3, '0')}_${randomBytes(3).toString('hex').toUpperCase()}`;
}
