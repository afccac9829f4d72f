import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { makeAuthorization } from '../engine/mesh/auth-token.js';

/**
 * MESH round trips as the benchmarks drive them (`npm run bench`, `npm run bench:ha`):
 * a 2 KB message sent between two sandbox mailboxes (config/mesh-sandbox.yaml), optionally
 * found by listing the inbox, then downloaded and acknowledged, each call with a fresh token.
 */

export const MESH_CONFIG = 'config/mesh-sandbox.yaml';
const MAILBOXES = ['X26ABC1', 'X26ABC2', 'X26ABC3'];
const CREDENTIALS = { password: 'password', sharedKey: 'TestKey' };
const WORKFLOW = 'TEST_WORKFLOW';
const V2 = 'application/vnd.mesh.v2+json';
const PAYLOAD = randomBytes(2048);
/** A request that takes this long means the hub is stuck; it fails rather than hangs the run. */
const REQUEST_TIMEOUT_MS = 10_000;
export const OPERATIONS = ['send', 'list', 'download', 'acknowledge'] as const;

export type Operation = (typeof OPERATIONS)[number];

/** Shared by every client: when to start recording, when to stop, and what was recorded. */
export interface Run {
  measureFrom: number;
  deadline: number;
  stopped: boolean;
  /** Whether a round trip lists the recipient's inbox before downloading. */
  list: boolean;
  roundTrips: number[];
  operations: Record<Operation, number[]>;
  errors: number;
  firstErrors: string[];
}

export function newRun(opts: { measureFrom: number; deadline: number; list: boolean }): Run {
  return {
    ...opts, stopped: false, roundTrips: [], operations: { send: [], list: [], download: [], acknowledge: [] }, errors: 0, firstErrors: [],
  };
}

export function meshPool(url: string, connections: number): Pool {
  return new Pool(url, { connections, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
}

function authorization(mailboxId: string): string {
  return makeAuthorization({ mailboxId, ...CREDENTIALS });
}

type Response = Awaited<ReturnType<Pool['request']>>;

/** Throws with the hub's answer when the status is not the one MESH promises. */
async function expectStatus(response: Response, status: number, op: Operation): Promise<void> {
  if (response.statusCode === status) return;
  const text = await response.body.text();
  throw new Error(`${op}: HTTP ${response.statusCode} ${text.slice(0, 200)}`);
}

async function send(pool: Pool, from: string, to: string): Promise<string> {
  const response = await pool.request({
    method: 'POST',
    path: `/messageexchange/${from}/outbox`,
    headers: {
      accept: V2, authorization: authorization(from),
      'mex-to': to, 'mex-workflowid': WORKFLOW, 'content-type': 'application/octet-stream',
    },
    body: PAYLOAD,
  });
  await expectStatus(response, 202, 'send');
  return ((await response.body.json()) as { message_id: string }).message_id;
}

/** The inbox's first page must hold the message just sent: other clients' messages to it are acknowledged as fast as they arrive. */
async function list(pool: Pool, mailbox: string, id: string): Promise<void> {
  const response = await pool.request({
    method: 'GET',
    path: `/messageexchange/${mailbox}/inbox`,
    headers: { accept: V2, authorization: authorization(mailbox) },
  });
  await expectStatus(response, 200, 'list');
  const { messages } = (await response.body.json()) as { messages: string[] };
  if (!messages.includes(id)) throw new Error(`list: ${id} is not among the ${messages.length} messages in ${mailbox}'s inbox`);
}

async function download(pool: Pool, mailbox: string, id: string): Promise<void> {
  const response = await pool.request({
    method: 'GET',
    path: `/messageexchange/${mailbox}/inbox/${id}`,
    headers: { accept: V2, authorization: authorization(mailbox) },
  });
  await expectStatus(response, 200, 'download');
  const body = Buffer.from(await response.body.arrayBuffer());
  if (!body.equals(PAYLOAD)) throw new Error(`download: ${id} came back as ${body.length} different bytes`);
}

async function acknowledge(pool: Pool, mailbox: string, id: string): Promise<void> {
  const response = await pool.request({
    method: 'PUT',
    path: `/messageexchange/${mailbox}/inbox/${id}/status/acknowledged`,
    headers: { accept: V2, authorization: authorization(mailbox) },
  });
  await expectStatus(response, 200, 'acknowledge');
  await response.body.dump();
}

async function timed<T>(run: Run, op: Operation, record: boolean, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await step();
  if (record) run.operations[op].push(performance.now() - started);
  return result;
}

/** One round trip, recorded when it starts after the warm-up; a failure is counted, not thrown. */
export async function roundTrip(pool: Pool, run: Run, from: string, to: string): Promise<void> {
  const started = performance.now();
  const record = started >= run.measureFrom;
  try {
    const id = await timed(run, 'send', record, () => send(pool, from, to));
    if (run.list) await timed(run, 'list', record, () => list(pool, to, id));
    await timed(run, 'download', record, () => download(pool, to, id));
    await timed(run, 'acknowledge', record, () => acknowledge(pool, to, id));
    if (record) run.roundTrips.push(performance.now() - started);
  } catch (err) {
    run.errors += 1;
    if (run.firstErrors.length < 5) run.firstErrors.push((err as Error).message);
  }
}

/** One client: round trips back to back until the deadline. */
export async function client(pool: Pool, run: Run, from: string, to: string): Promise<void> {
  while (!run.stopped && performance.now() < run.deadline) await roundTrip(pool, run, from, to);
}

/** Every ordered pair of distinct sandbox mailboxes, so clients spread over all inboxes. */
export function pairs(): [string, string][] {
  return MAILBOXES.flatMap((from) => MAILBOXES.filter((to) => to !== from).map((to): [string, string] => [from, to]));
}
