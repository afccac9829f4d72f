import { meshRequest, type MeshRequestOptions, type MeshResponse } from './mesh-http.js';

/** Steps most MESH tests repeat, built on meshRequest: send, list, count, and the error shape. */

export interface SendOptions extends MeshRequestOptions {
  from?: string;
  to?: string;
  workflow?: string;
}

/** POST /outbox from `from` (X26ABC1) to `to` (X26ABC2) on TEST_WORKFLOW, as the options override. */
export function send(url: string, body: Buffer | string, options: SendOptions = {}): Promise<MeshResponse> {
  const { from = 'X26ABC1', to = 'X26ABC2', workflow = 'TEST_WORKFLOW', headers = {}, ...rest } = options;
  return meshRequest(url, 'POST', `/messageexchange/${from}/outbox`, {
    mailbox: from,
    ...rest,
    headers: { 'mex-to': to, 'mex-workflowid': workflow, 'content-type': 'application/octet-stream', ...headers },
    body,
  });
}

/** Sends and returns the new message id, failing loudly when the hub refuses. */
export async function sendId(url: string, body: Buffer | string, options: SendOptions = {}): Promise<string> {
  const res = await send(url, body, options);
  if (res.status !== 202) throw new Error(`send failed: ${res.status} ${res.text}`);
  return res.json().message_id as string;
}

/** The v2 inbox listing of a mailbox (first page). */
export async function inboxIds(url: string, mailbox: string, query = ''): Promise<string[]> {
  const res = await meshRequest(url, 'GET', `/messageexchange/${mailbox}/inbox${query}`, { mailbox });
  if (res.status !== 200) throw new Error(`inbox failed: ${res.status} ${res.text}`);
  return res.json().messages as string[];
}

export async function inboxCount(url: string, mailbox: string): Promise<number> {
  const res = await meshRequest(url, 'GET', `/messageexchange/${mailbox}/count`, { mailbox });
  if (res.status !== 200) throw new Error(`count failed: ${res.status} ${res.text}`);
  return res.json().count as number;
}

/** A MESH v2 error answer: the status, JSON, and `{message_id, internal_id, detail:[{event, code, msg}]}`. */
export function expectMeshError(res: MeshResponse, status: number, code: string): void {
  expect({ status: res.status, contentType: res.headers.get('content-type') }).toEqual({ status, contentType: expect.stringContaining('json') });
  const { message_id: messageId, ...rest } = res.json();
  expect(messageId === null || typeof messageId === 'string').toBe(true);
  expect(rest).toEqual({ internal_id: expect.any(String), detail: [{ event: expect.any(String), code, msg: expect.any(String) }] });
}


/** GET /inbox/{id} or, with `idAndChunk` = `id/n`, one chunk of it. */
export function download(url: string, mailbox: string, idAndChunk: string, headers: Record<string, string> = {}): Promise<MeshResponse> {
  return meshRequest(url, 'GET', `/messageexchange/${mailbox}/inbox/${idAndChunk}`, { mailbox, headers });
}

export function acknowledge(url: string, mailbox: string, id: string, headers: Record<string, string> = {}): Promise<MeshResponse> {
  return meshRequest(url, 'PUT', `/messageexchange/${mailbox}/inbox/${id}/status/acknowledged`, { mailbox, headers });
}

/** POST /outbox/{id}/{n} from `from` (X26ABC1). */
export function sendChunk(
  url: string, id: string, n: number | string, headers: Record<string, string>, body: Buffer | string, from = 'X26ABC1',
): Promise<MeshResponse> {
  return meshRequest(url, 'POST', `/messageexchange/${from}/outbox/${id}/${n}`, { mailbox: from, headers, body });
}

/** GET /outbox/tracking?messageID= as `from` (X26ABC1). */
export function tracking(url: string, id: string, headers: Record<string, string> = {}, from = 'X26ABC1'): Promise<MeshResponse> {
  return meshRequest(url, 'GET', `/messageexchange/${from}/outbox/tracking?messageID=${id}`, { mailbox: from, headers });
}
