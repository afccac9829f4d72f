import { arch, release, type as osType } from 'node:os';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { makeAuthorization, type Credentials } from '../../engine/mesh/auth-token.js';
import { formatChunkRange, parseChunkRange, splitBody } from './chunks.js';
import { MeshClientError } from './errors.js';
import { describeHeaders, readMessageHeaders, type MeshMessageHeaders, type MessageDescription } from './message-headers.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';
import { exchange, type MeshResponse } from './transport.js';

const gzipAsync = promisify(gzip);

const CLIENT_NAME = 'cpis-exchange-mesh-client';
const CLIENT_VERSION = '0.1.0';
const MIB = 1024 * 1024;
/** Below this, gzip's fixed overhead outweighs what it saves. */
const MIN_COMPRESS_BYTES = 1024;

export interface MeshClientOptions extends Credentials {
  /** Scheme and host of the MESH server, e.g. `https://mesh-sync.spineservices.nhs.uk`. */
  baseUrl: string;
  /** Largest uncompressed piece sent in one request; bigger messages are chunked. Default 20 MiB. */
  chunkSize?: number;
  retry?: Partial<RetryPolicy>;
  /** Per attempt, body included. Default 5 minutes: a 20 MiB chunk on a slow link. */
  timeoutMs?: number;
  /** Largest message downloaded, chunks joined and inflated; past it the download fails TOO_LARGE. Default 100 MiB. */
  maxMessageBytes?: number;
  userAgent?: string;
}

export interface SendRequest extends MessageDescription {
  body: Buffer | string;
  /**
   * Gzip on the wire (`content-encoding: gzip`), which MESH stores and the recipient's
   * client undoes. Default true; single-part bodies under 1 KiB go as they are. Turn it
   * off for payloads that are already compressed. Every chunk of a message is encoded alike.
   */
  compress?: boolean;
}

export interface DownloadedMessage {
  id: string;
  /** The message as the sender gave it: chunks joined, transfer encoding undone. */
  body: Buffer;
  headers: MeshMessageHeaders;
}

/** v2 lifecycle statuses (MESH.md, "Lifecycle"). */
export type MessageStatus = 'uploading' | 'accepted' | 'acknowledged' | 'undeliverable' | 'error';

/** The v2 tracking answer as MESH sends it (snake_case); only `status` and `message_id` are guaranteed. */
export interface TrackingInfo {
  message_id: string;
  status: MessageStatus | string;
  local_id?: string;
  workflow_id?: string;
  recipient?: string;
  status_code?: string;
  status_description?: string;
  status_timestamp?: string;
  [field: string]: unknown;
}

export interface MailboxMatch {
  mailbox_id: string;
  mailbox_name: string;
}

export interface InboxQuery {
  /** MESH filter syntax without the `=`: `WF`, `!WF`, `WF*`, `!WF*`, `*X*`, `!*X*`. */
  workflowFilter?: string;
  /** Page size, 10 to 5000; the server's default (500) when absent. */
  maxResults?: number;
}

interface CallOptions {
  headers?: Record<string, string>;
  body?: Buffer;
  retry?: boolean;
  /** Default: the client's maxMessageBytes. */
  maxBodyBytes?: number;
}

export class MeshClient {
  private readonly base: string;
  private readonly credentials: Credentials;
  private readonly chunkSize: number;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly maxMessageBytes: number;

  constructor(opts: MeshClientOptions) {
    if (!URL.canParse(opts.baseUrl)) throw invalid(`baseUrl is not a URL: ${opts.baseUrl}`);
    const chunkSize = opts.chunkSize ?? 20 * MIB;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw invalid('chunkSize must be a positive integer');
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.credentials = { mailboxId: opts.mailboxId, password: opts.password, sharedKey: opts.sharedKey };
    this.chunkSize = chunkSize;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.timeoutMs = opts.timeoutMs ?? 300_000;
    this.maxMessageBytes = opts.maxMessageBytes ?? 100 * MIB;
    this.userAgent = opts.userAgent ?? `${CLIENT_NAME}/${CLIENT_VERSION} node/${process.versions.node}`;
  }

  /** Checks reachability and credentials; MESH expects it about once a day. */
  async handshake(): Promise<void> {
    await this.call('POST', this.mailboxUrl(), {
      headers: {
        'mex-clientversion': `${CLIENT_NAME}==${CLIENT_VERSION}`,
        'mex-osname': osType(),
        'mex-osversion': release(),
        'mex-osarchitecture': arch(),
      },
    });
  }

  /**
   * Sends a message and returns its MESH id. Bodies above `chunkSize` go as chunks.
   *
   * The first request is never retried: if its answer is lost the message may exist
   * anyway. To resend after any failure, call send again with the same `localId`; the
   * hub answers a repeat of sender + localId with the first message's id. A failure after
   * the first chunk carries the message id (`err.messageId`).
   */
  async send(req: SendRequest): Promise<string> {
    const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
    const headers = describeHeaders(req);
    const pieces = splitBody(body, this.chunkSize);
    const total = pieces.length;
    const gzipped = (req.compress ?? true) && (total > 1 || body.length >= MIN_COMPRESS_BYTES);
    const encode = async (piece: Buffer) => (gzipped ? gzipAsync(piece) : piece);
    const encoding: Record<string, string> = gzipped ? { 'content-encoding': 'gzip' } : {};
    const range = (index: number): Record<string, string> =>
      total > 1 ? { 'mex-chunk-range': formatChunkRange({ index, total }) } : {};

    const first = await this.call('POST', this.mailboxUrl('outbox'), {
      headers: { ...headers, ...encoding, ...range(1) },
      body: await encode(pieces[0]),
      retry: false,
    });
    const id = field(readJson(first), 'message_id', 'send');
    for (let index = 2; index <= total; index++) {
      try {
        await this.sendChunk(id, index, total, { ...encoding, ...range(index) }, await encode(pieces[index - 1]));
      } catch (err) {
        throw err instanceof MeshClientError ? err.withMessageId(id) : err;
      }
    }
    return id;
  }

  /** Every message id in the inbox, following `links.next` page by page. */
  async *inboxIds(query: InboxQuery = {}): AsyncGenerator<string> {
    let page: URL | undefined = new URL(this.mailboxUrl('inbox'));
    if (query.maxResults !== undefined) page.searchParams.set('max_results', String(query.maxResults));
    if (query.workflowFilter !== undefined) page.searchParams.set('workflow_filter', query.workflowFilter);
    while (page) {
      const json = readJson(await this.call('GET', page));
      if (!Array.isArray(json.messages) || !json.messages.every((m) => typeof m === 'string')) {
        throw badResponse('inbox: "messages" is not a list of ids');
      }
      yield* json.messages as string[];
      const links = json.links as { next?: unknown } | undefined;
      // links.next is a path relative to the server, as MESH documents it.
      const next = typeof links?.next === 'string' ? new URL(links.next, this.base) : undefined;
      if (next?.href === page.href) throw badResponse('inbox: links.next points at the same page');
      page = next;
    }
  }

  /** Downloads a whole message, fetching and joining the chunks of a chunked one. */
  async download(id: string): Promise<DownloadedMessage> {
    const first = await this.call('GET', this.mailboxUrl('inbox', id));
    const range = parseChunkRange(first.headers.get('mex-chunk-range'));
    const parts = [first.body];
    // Each chunk may be only what the message has left of its limit.
    let left = this.maxMessageBytes - first.body.length;
    if (first.status === 206 || (range && range.total > 1)) {
      if (!range || range.index !== 1) throw badResponse(`download ${id}: chunked answer without mex-chunk-range 1:N`);
      for (let index = 2; index <= range.total; index++) {
        const res = await this.call('GET', this.mailboxUrl('inbox', id, String(index)), { maxBodyBytes: left });
        left -= res.body.length;
        const got = parseChunkRange(res.headers.get('mex-chunk-range'));
        // Joining chunks out of order would corrupt the message silently; a missing header is tolerated.
        if (got && (got.index !== index || got.total !== range.total)) {
          throw badResponse(`download ${id}: asked for chunk ${index}:${range.total}, got ${formatChunkRange(got)}`);
        }
        parts.push(res.body);
      }
    }
    return { id, body: Buffer.concat(parts), headers: readMessageHeaders(first.headers, id) };
  }

  /** Removes the message from the inbox; repeating it is harmless, so it is retried. */
  async acknowledge(id: string): Promise<void> {
    await this.call('PUT', this.mailboxUrl('inbox', id, 'status', 'acknowledged'));
  }

  async track(messageId: string): Promise<TrackingInfo> {
    const url = new URL(this.mailboxUrl('outbox', 'tracking'));
    url.searchParams.set('messageID', messageId);
    const json = readJson(await this.call('GET', url));
    field(json, 'status', 'tracking');
    return json as TrackingInfo;
  }

  /** Mailboxes of organisation `odsCode` that receive `workflowId`. */
  async lookup(odsCode: string, workflowId: string): Promise<MailboxMatch[]> {
    const url = `${this.base}/messageexchange/endpointlookup/${segments(odsCode, workflowId)}`;
    const json = readJson(await this.call('GET', url));
    if (!Array.isArray(json.results)) throw badResponse('endpointlookup: "results" is not a list');
    return json.results.map((r: unknown) => {
      const rec = r as Record<string, unknown>;
      return { mailbox_id: field(rec, 'mailbox_id', 'endpointlookup'), mailbox_name: String(rec.mailbox_name ?? '') };
    });
  }

  /** Messages waiting in the inbox (MESH marks this endpoint deprecated; listing is preferred). */
  async count(): Promise<number> {
    const json = readJson(await this.call('GET', this.mailboxUrl('count')));
    if (typeof json.count !== 'number') throw badResponse('count: "count" is not a number');
    return json.count;
  }

  private async sendChunk(id: string, index: number, total: number, headers: Record<string, string>, body: Buffer) {
    const url = this.mailboxUrl('outbox', id, String(index));
    await withRetry(async (attempt) => {
      try {
        await this.once('POST', url, { headers, body });
      } catch (err) {
        // 423 means the message is complete: on a retry of the last chunk, an earlier try
        // landed and only its answer was lost.
        if (attempt > 1 && index === total && err instanceof MeshClientError && err.status === 423) return;
        throw err;
      }
    }, this.retry);
  }

  private async call(method: 'GET' | 'POST' | 'PUT', url: string | URL, opts: CallOptions = {}): Promise<MeshResponse> {
    return opts.retry === false ? this.once(method, url, opts) : withRetry(() => this.once(method, url, opts), this.retry);
  }

  /** One attempt, with its own token: MESH tokens are single-use, so a retry must sign afresh. */
  private once(method: 'GET' | 'POST' | 'PUT', url: string | URL, opts: CallOptions): Promise<MeshResponse> {
    return exchange({
      method,
      url: new URL(url),
      headers: {
        ...opts.headers,
        authorization: makeAuthorization(this.credentials),
        accept: 'application/vnd.mesh.v2+json',
        'accept-encoding': 'gzip',
        'user-agent': this.userAgent,
      },
      body: opts.body,
      timeoutMs: this.timeoutMs,
      maxBodyBytes: opts.maxBodyBytes ?? this.maxMessageBytes,
    });
  }

  private mailboxUrl(...path: string[]): string {
    return `${this.base}/messageexchange/${segments(this.credentials.mailboxId, ...path)}`;
  }
}

function segments(...parts: string[]): string {
  return parts.map(encodeURIComponent).join('/');
}

function readJson(res: MeshResponse): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(res.body.toString('utf8'));
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // Falls through to the same error as valid JSON of the wrong shape.
  }
  throw badResponse(`expected a JSON object, got ${JSON.stringify(res.body.toString('utf8').slice(0, 100))}`);
}

function field(json: Record<string, unknown>, name: string, what: string): string {
  const value = json[name];
  if (typeof value !== 'string' || value === '') throw badResponse(`${what}: no "${name}" in the answer`);
  return value;
}

function badResponse(description: string): MeshClientError {
  return new MeshClientError({ code: 'BAD_RESPONSE', description });
}

function invalid(description: string): MeshClientError {
  return new MeshClientError({ code: 'INVALID_ARGUMENT', description });
}
