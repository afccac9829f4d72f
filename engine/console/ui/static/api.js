/* global fetch, URLSearchParams */
/** The console API (docs/CONSOLE-API.md): JSON both ways, the CSRF token on every POST. */

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? [];
  }
}

/** No answer from the hub at all (it is stopped, or the network is down): not an API error with a code of its own. */
export const HUB_UNREACHABLE = 'HUB_UNREACHABLE';
const GATEWAY_FAULTS = new Set([502, 503, 504]);
const unreachable = () => new ApiError(0, HUB_UNREACHABLE, 'The hub cannot be reached.');

let csrfToken = '';

export function useCsrfToken(token) {
  csrfToken = token ?? '';
}

async function call(method, path, body) {
  const headers = { accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = csrfToken;
    init.body = JSON.stringify(body ?? {});
  }
  const res = await fetch(`/console/api${path}`, init).catch(() => {
    throw unreachable();
  });
  if (res.status === 204) return undefined;
  const data = await res.json().catch(() => undefined);
  // A proxy in front of a stopped hub answers for it, without the API's JSON.
  if (!data && GATEWAY_FAULTS.has(res.status)) throw unreachable();
  if (!res.ok) throw new ApiError(res.status, data?.code ?? `HTTP_${res.status}`, data?.message ?? res.statusText, data?.details);
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);

/** `?a=1&b=2` from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const id = (value) => encodeURIComponent(value);
