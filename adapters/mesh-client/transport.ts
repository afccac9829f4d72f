import { readBounded, SizeFault } from '../../engine/mesh/bounded-inflate.js';
import { MeshClientError, errorFromResponse } from './errors.js';

/** A complete answer: the body is read in full so a connection dropped mid-body is a failed attempt. */
export interface MeshResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** The most the answer's body may be once decoded; reading stops there. */
  maxBodyBytes: number;
}

/**
 * One HTTP exchange; any non-2xx answer and any network failure is thrown as a MeshClientError.
 *
 * The body comes back decoded exactly once: fetch undoes `content-encoding: gzip` itself
 * (the Fetch standard requires it), so nothing here may gunzip again. A payload that is
 * itself a .gz file therefore arrives as the .gz bytes the sender gave. Fetch inflates as
 * the body is read, so reading stops at `maxBodyBytes` and a gzip bomb is refused (TOO_LARGE)
 * having cost no more than that.
 */
export async function exchange(req: HttpRequest): Promise<MeshResponse> {
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      // Buffers here are never over a SharedArrayBuffer; the types just cannot tell.
      body: req.body as Uint8Array<ArrayBuffer> | undefined,
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    const body = res.body ? (await readBounded(res.body, req.maxBodyBytes, `the answer to ${req.method} ${req.url.pathname}`)).bytes : Buffer.alloc(0);
    if (res.status < 200 || res.status > 299) {
      throw errorFromResponse(res.status, body, res.headers.get('retry-after') ?? undefined);
    }
    return { status: res.status, headers: res.headers, body };
  } catch (err) {
    throw asMeshError(err);
  }
}

/**
 * Sorts by error name and cause, not message: fetch rejects with a TypeError whose `cause`
 * holds the socket error (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…), and with a
 * TimeoutError when the signal fires. Errors are compared by name, not instanceof, because
 * they may come from another realm (fetch's internals, a test VM context).
 */
function asMeshError(err: unknown): unknown {
  if (err instanceof MeshClientError) return err;
  if (err instanceof SizeFault) return new MeshClientError({ code: err.code, description: err.message }, { cause: err });
  const e = err as { name?: string; cause?: { code?: string } } | undefined;
  if (e?.name === 'TimeoutError') {
    return new MeshClientError({ code: 'TIMEOUT', description: 'no complete answer in time' }, { cause: err });
  }
  if (e?.name === 'TypeError' && e.cause !== undefined) {
    return new MeshClientError({ code: 'NETWORK', description: e.cause.code ?? 'connection failed' }, { cause: err });
  }
  return err;
}
