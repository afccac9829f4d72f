import { CliError } from './cli-error.js';

const TIMEOUT_MS = 30_000;

/** A request to the hub with the command line's timeout; a hub that cannot be reached is UNREACHABLE, naming it. */
export async function fetchHub(hub: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${hub}${path}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new CliError('UNREACHABLE', `cannot reach the hub at ${hub}: ${why(err)}`);
  }
}

function why(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if ((err as Error).name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000}s`;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
