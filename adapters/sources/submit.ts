import type { AdapterError } from '../core/errors.js';
import type { Prepare, Sender } from '../core/sender.js';

export interface SubmitSteps {
  prepare: Prepare;
  send: Sender;
}

export type Submitted =
  | { ok: true; localId: string; messageId: string }
  | { ok: true; localId: string; skipped: string }
  | { ok: false; localId: string; error: AdapterError };

/**
 * One attempt to hand raw input to the hub: prepare it (check or translate), then send it
 * under the prepared local id if there is one, else the one the source derived.
 */
export async function submit(steps: SubmitSteps, input: Buffer, name: string, derivedLocalId: string, fileName?: string): Promise<Submitted> {
  const prepared = steps.prepare(input, name);
  if (!prepared.ok) return { ok: false, localId: derivedLocalId, error: prepared.error };
  if ('skip' in prepared) return { ok: true, localId: derivedLocalId, skipped: prepared.skip };
  const localId = prepared.localId ?? derivedLocalId;
  const sent = await steps.send({ localId, body: prepared.body, fileName });
  return sent.ok ? { ok: true, localId, messageId: sent.messageId } : { ok: false, localId, error: sent.error };
}
