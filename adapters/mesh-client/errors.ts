/**
 * Every failure the client reports is a MeshClientError; callers branch on `code`,
 * `status` or `meshCode`, never on `message`.
 *
 * `code` is, in order of preference:
 * - the MESH error code from the response body (e.g. `12` unregistered recipient);
 * - `HTTP_<status>` for an error response without one (e.g. `HTTP_403`, whose body is empty);
 * - `NETWORK` (connection refused, reset, dropped) or `TIMEOUT` (no full answer within timeoutMs);
 * - `BAD_RESPONSE` when a success answer is not what MESH promises (unparseable JSON, chunk out of order);
 * - `TOO_LARGE` when an answer, inflated, passes the client's `maxMessageBytes` (reading stops there);
 * - `INVALID_ARGUMENT` when the caller's input cannot be sent at all.
 */
export class MeshClientError extends Error {
  readonly code: string;
  readonly status?: number;
  readonly meshCode?: string;
  readonly event?: string;
  readonly description?: string;
  readonly messageId?: string;
  /** The raw Retry-After header of a throttling answer; retry.ts interprets it. */
  readonly retryAfter?: string;

  constructor(fields: MeshErrorFields & { code: string }, options?: { cause?: unknown }) {
    super(describe(fields), options);
    this.name = 'MeshClientError';
    this.code = fields.code;
    this.status = fields.status;
    this.meshCode = fields.meshCode;
    this.event = fields.event;
    this.description = fields.description;
    this.messageId = fields.messageId;
    this.retryAfter = fields.retryAfter;
  }

  /** The same error, naming the message it concerns (a chunk upload failing after the id was issued). */
  withMessageId(messageId: string): MeshClientError {
    return this.messageId ? this : new MeshClientError({ ...this.fields(), messageId }, { cause: this.cause });
  }

  private fields(): MeshErrorFields & { code: string } {
    const { code, status, meshCode, event, description, messageId, retryAfter } = this;
    return { code, status, meshCode, event, description, messageId, retryAfter };
  }
}

export interface MeshErrorFields {
  status?: number;
  meshCode?: string;
  event?: string;
  description?: string;
  messageId?: string;
  retryAfter?: string;
}

/** The error for a non-2xx answer, with whatever the body says about it. */
export function errorFromResponse(status: number, body: Buffer, retryAfter?: string): MeshClientError {
  const parsed = parseErrorBody(body.toString('utf8'));
  return new MeshClientError({ ...parsed, status, retryAfter, code: parsed.meshCode ?? `HTTP_${status}` });
}

/** Longest raw (non-JSON) body text kept as a description; proxies answer with whole HTML pages. */
const MAX_RAW_DESCRIPTION = 300;

/**
 * Reads the v2 `{message_id, internal_id, detail: [{event, code, msg}]}`, the v1
 * `{messageID, errorEvent, errorCode, errorDescription}` and the FastAPI validation
 * `{detail: [{loc, msg, type}]}` shapes; an empty body (403) gives nothing.
 */
export function parseErrorBody(text: string): MeshErrorFields {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { description: trimmed.slice(0, MAX_RAW_DESCRIPTION) };
  }
  if (!isRecord(json)) return { description: trimmed.slice(0, MAX_RAW_DESCRIPTION) };
  const detail = Array.isArray(json.detail) && isRecord(json.detail[0]) ? json.detail[0] : undefined;
  if (detail) {
    return prune({
      meshCode: str(detail.code),
      event: str(detail.event),
      description: str(detail.msg),
      messageId: str(json.message_id),
    });
  }
  return prune({
    meshCode: str(json.errorCode),
    event: str(json.errorEvent),
    description: str(json.errorDescription),
    messageId: str(json.messageID) ?? str(json.message_id),
  });
}

function describe(f: MeshErrorFields & { code: string }): string {
  const where = f.status ? `MESH answered ${f.status}` : 'MESH request failed';
  const about = f.messageId ? ` for message ${f.messageId}` : '';
  return `${where} (${f.code})${about}${f.description ? `: ${f.description}` : ''}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** MESH codes are strings ("06") but some servers send numbers; empty strings mean absent. */
function str(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v).padStart(2, '0');
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function prune(f: MeshErrorFields): MeshErrorFields {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
}
