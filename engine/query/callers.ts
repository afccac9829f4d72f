import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { HubConfig } from '../config/load.js';
import type { QueryClientConfig } from '../config/schema.js';
import type { Accessor } from '../cpis/types.js';
import type { RateLimiter } from './rate-limit.js';
import { isRefusal, type QueryRefusal } from './refusal.js';
import { statedAccessor } from './stated-accessor.js';
import type { QueryTokens } from './tokens.js';

export { isRefusal, type QueryRefusal, type QueryRefusalCode } from './refusal.js';

/** What authentication looks at: the headers, and the client certificate the TLS handshake verified. */
export interface QueryRequest {
  headers: IncomingHttpHeaders;
  /** As `peerCertificateFingerprint` gives it; absent over plain HTTP or without a verified certificate. */
  peerCertificateFingerprint?: string;
}

/** A query client the hub has recognised, and the trust it asks for. */
export interface Caller {
  client: QueryClientConfig;
  organisation: { ods: string; name: string };
}

/**
 * Why a request was refused before it was read. `caller` is there when the client was recognised
 * and then refused (not allowed to query, over its rate limit): who asked is known, so the
 * refusal is audited against it.
 */
export interface DoorRefusal extends QueryRefusal {
  caller?: Caller;
}

/** What the token endpoint learns of a client id and secret. */
export type SecretCheck =
  | { client: QueryClientConfig }
  | { refused: 'invalid_client' | 'unauthorized_client' }
  | { refused: 'too_many_attempts'; retryAfterSeconds: number };

/**
 * Secret checks per client id: ten at once, then one each 10 s. A check that succeeds is given
 * back, so only wrong secrets use it up: a guesser gets about 8,640 tries a day.
 */
const SECRET_CHECKS = { perSecond: 0.1, burst: 10 };

const BEARER = /^Bearer +(\S+) *$/i;

/** Who may ask the point-of-care query: query clients by bearer token or certificate, within their rate limits. */
export class QueryCallers {
  private readonly clients = new Map<string, QueryClientConfig>();
  private readonly byCertificate = new Map<string, QueryClientConfig>();
  private readonly organisationNames: Map<string, string>;

  constructor(
    config: Pick<HubConfig, 'organisations' | 'queryClients'>,
    private readonly tokens: QueryTokens,
    private readonly limiter: RateLimiter,
  ) {
    this.organisationNames = new Map(config.organisations.map((o) => [o.ods, o.name]));
    for (const client of config.queryClients) {
      this.clients.set(client.id, client);
      if (client.certificate) this.byCertificate.set(client.certificate, client);
    }
  }

  /** The caller of a query: by its bearer token, else (no Authorization header) by its client certificate. */
  async authenticate(request: QueryRequest): Promise<Caller | DoorRefusal> {
    const client = await this.identify(request);
    if (isRefusal(client)) return client;
    const caller = { client, organisation: { ods: client.organisation, name: this.organisationNames.get(client.organisation)! } };
    if (!client.allowed) return { refused: 'ACCESS_DENIED', message: `query client ${client.id} is not allowed to query`, caller };
    const rate = await this.limiter.take(`query:${client.id}`, client.rateLimit);
    if (!rate.allowed) {
      const { perSecond, burst } = client.rateLimit;
      return {
        refused: 'RATE_LIMITED',
        message: `query client ${client.id} is over its rate limit of ${perSecond} a second (burst ${burst}); retry after ${rate.retryAfterSeconds} s`,
        retryAfterSeconds: rate.retryAfterSeconds,
        caller,
      };
    }
    return caller;
  }

  /** The user the caller states on this request, or the client's responsible person (asking through `systemAsid` when given). */
  statedAccessor(headers: IncomingHttpHeaders, caller: Caller, systemAsid?: string): Accessor | QueryRefusal {
    return statedAccessor(headers, caller.client, systemAsid);
  }

  /** May this caller ask on behalf of the organisation with this ODS code (an HL7 v3 author's)? Only its own. */
  mayActFor(caller: Caller, ods: string): boolean {
    return ods === caller.organisation.ods;
  }

  /** Is this a configured client's id (so a log may name it)? */
  knows(clientId: string): boolean {
    return this.clients.has(clientId);
  }

  /** The token endpoint's check of a client id and secret, timing-safe and bounded per client id. */
  async checkSecret(clientId: string, secret: string): Promise<SecretCheck> {
    const client = this.clients.get(clientId);
    if (!client?.secret) return { refused: 'invalid_client' };
    const bucket = `secret-checks:${client.id}`;
    const admitted = await this.limiter.take(bucket, SECRET_CHECKS);
    if (!admitted.allowed) return { refused: 'too_many_attempts', retryAfterSeconds: admitted.retryAfterSeconds };
    if (!sameSecret(client.secret, secret)) return { refused: 'invalid_client' };
    await this.limiter.giveBack(bucket, SECRET_CHECKS);
    return client.allowed ? { client } : { refused: 'unauthorized_client' };
  }

  private async identify(request: QueryRequest): Promise<QueryClientConfig | QueryRefusal> {
    const authorization = request.headers.authorization;
    if (authorization === undefined) {
      const client = request.peerCertificateFingerprint ? this.byCertificate.get(request.peerCertificateFingerprint) : undefined;
      if (client) return client;
      return unauthenticated(request.peerCertificateFingerprint
        ? 'the client certificate is not a query client\'s, and there is no Authorization header'
        : 'no Authorization header: send Authorization: Bearer with a token from POST /cpis/oauth2/token');
    }
    const token = BEARER.exec(authorization)?.[1];
    if (!token) return unauthenticated('the Authorization header is not Bearer followed by a token');
    const clientId = await this.tokens.resolve(token);
    if (clientId === undefined) return unauthenticated('the bearer token is unknown or has expired; get a new one from POST /cpis/oauth2/token');
    return this.clients.get(clientId) ?? unauthenticated(`the bearer token's client ${clientId} is no longer configured`);
  }
}

function unauthenticated(message: string): QueryRefusal {
  return { refused: 'UNAUTHENTICATED', message };
}

/** Compared as digests, so neither the time taken nor a length check tells how much of a guess was right. */
function sameSecret(expected: string, given: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(given));
}
