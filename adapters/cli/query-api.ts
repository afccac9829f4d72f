import { setTimeout as sleep } from 'node:timers/promises';
import type * as fhir4 from 'fhir/r4.js';
import { isSpineCode } from '../../engine/cpis/fhir/operation-outcome.js';
import { SYSTEM } from '../../engine/cpis/fhir/vocabulary.js';
import { CliError, type CliCode } from './cli-error.js';
import { fetchHub } from './hub-fetch.js';
import { printableCell } from './printable.js';
import type { QuerySettings, StatedUser } from './query-settings.js';

/** A 429 is retried once, when the hub asks for a wait this long at most; longer, a script should decide. */
const MAX_RETRY_AFTER_S = 10;

export type SearchedResource = 'CareTeam' | 'AuditEvent';

export interface SearchHeaders {
  /** False for a silent read: nothing recorded, no LA told. */
  unscheduled: boolean;
  requestId?: string;
}

/** The OAuth2 errors the token endpoint sends that say the client itself was refused. */
const CLIENT_REFUSALS: Record<string, CliCode> = {
  invalid_client: 'INVALID_CLIENT',
  unauthorized_client: 'ACCESS_DENIED',
  slow_down: 'TOO_MANY_REQUESTS',
};

/** The hub's CP-IS FHIR API as one query client: a bearer token, then searches by NHS number. */
export class QueryApi {
  private constructor(private readonly settings: QuerySettings, private readonly token: string) {}

  /** Gets a token by the client-credentials grant. */
  static async open(settings: QuerySettings): Promise<QueryApi> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: settings.clientId, client_secret: settings.secret });
    const res = await send(settings.hub, '/cpis/oauth2/token', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
    const body = await readJson(res) as { access_token?: unknown; error?: unknown; error_description?: unknown } | undefined;
    if (res.ok && typeof body?.access_token === 'string') return new QueryApi(settings, body.access_token);
    throw tokenRefusal(settings, res.status, body);
  }

  async search(resource: SearchedResource, nhsNumber: string, headers: SearchHeaders): Promise<fhir4.Bundle> {
    const patient = new URLSearchParams({ 'patient:identifier': `${SYSTEM.nhsNumber}|${nhsNumber}` });
    const res = await send(this.settings.hub, `/cpis/FHIR/R4/${resource}?${patient}`, {
      headers: {
        authorization: `Bearer ${this.token}`,
        IsUnscheduledAccessEvent: String(headers.unscheduled),
        ...(headers.requestId !== undefined && { 'X-Request-ID': headers.requestId }),
        ...userHeaders(this.settings.user),
      },
    });
    const body = await readJson(res) as fhir4.Bundle | fhir4.OperationOutcome | undefined;
    if (res.ok && body?.resourceType === 'Bundle') return body;
    if (body?.resourceType === 'OperationOutcome') throw refusal(res.status, body);
    throw new CliError('BAD_ANSWER', `${this.settings.hub} answered HTTP ${res.status} to the ${resource} search, not FHIR; is --hub the CP-IS hub?`);
  }
}

/**
 * The hub reads user headers' bytes as UTF-8; fetch sends a header's characters as single bytes,
 * so each is given as its UTF-8 bytes.
 */
function userHeaders(user: StatedUser | undefined): Record<string, string> {
  const pairs: [string, string | undefined][] = [['X-User-Name', user?.name], ['X-User-Role', user?.role], ['X-User-Id', user?.id]];
  return Object.fromEntries(pairs.filter((p): p is [string, string] => p[1] !== undefined).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('latin1')]));
}

/** One retry on 429 after the hub's Retry-After, when that is short. */
async function send(hub: string, path: string, init: RequestInit): Promise<Response> {
  const first = await fetchHub(hub, path, init);
  const wait = Number(first.headers.get('retry-after') ?? 1);
  if (first.status !== 429 || !(wait >= 0 && wait <= MAX_RETRY_AFTER_S)) return first;
  await first.body?.cancel();
  await sleep(wait * 1000);
  return fetchHub(hub, path, init);
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

function tokenRefusal(settings: QuerySettings, status: number, body: { error?: unknown; error_description?: unknown } | undefined): CliError {
  const description = typeof body?.error_description === 'string' ? `: ${printableCell(body.error_description)}` : '';
  const code = typeof body?.error === 'string' ? CLIENT_REFUSALS[body.error] : undefined;
  if (code) return new CliError(code, `the hub refused client ${settings.clientId}'s credentials (HTTP ${status})${description}`);
  if (status === 404) return new CliError('BAD_ANSWER', `${settings.hub} has no CP-IS query API (HTTP 404 from its token endpoint); is --hub the CP-IS hub?`);
  return new CliError('BAD_ANSWER', `the hub's token endpoint answered HTTP ${status}${description}`);
}

/** An OperationOutcome as one line: its Spine code (or the status's meaning), the status and the hub's diagnostics. */
function refusal(status: number, outcome: fhir4.OperationOutcome): CliError {
  const issue = outcome.issue?.[0];
  const spine = issue?.details?.coding?.[0]?.code;
  const code: CliCode = isSpineCode(spine) ? spine : status === 429 ? 'TOO_MANY_REQUESTS' : 'BAD_ANSWER';
  const diagnostics = issue?.diagnostics ?? issue?.details?.text ?? 'no reason given';
  return new CliError(code, `the hub refused the query (HTTP ${status}): ${printableCell(diagnostics)}`);
}
