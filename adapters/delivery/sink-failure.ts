import { AdapterFailure, adapterError } from '../core/errors.js';

export type SinkErrorCode = 'SINK_FAILED' | 'SINK_UNROUTABLE' | 'SINK_TIMEOUT';

/** What a sink throws: the far side does not have the message, so the poller keeps it in the inbox. */
export function sinkFailure(code: SinkErrorCode, message: string): AdapterFailure {
  return new AdapterFailure(adapterError(code, message));
}

/** The system error code (ENOENT, ECONNREFUSED) of an error or of its cause, for messages. */
export function systemCode(err: unknown): string {
  const seen = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = seen?.code ?? seen?.cause?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}
