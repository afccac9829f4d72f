import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../log.js';
import type { QueryCallers, SecretCheck } from '../callers.js';
import type { QueryTokens } from '../tokens.js';
import { acceptFormsOnly, FORM, repeatedParameter } from './form-body.js';

export interface TokenPluginOptions {
  callers: QueryCallers;
  tokens: QueryTokens;
  log: Logger;
}

/** RFC 6749 §5.2, and RFC 8628's `slow_down` for a client id refused for too many wrong secrets. */
type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unauthorized_client' | 'unsupported_grant_type' | 'slow_down' | 'server_error';

interface OAuthError {
  error: OAuthErrorCode;
  description: string;
  retryAfterSeconds?: number;
  /** For the log, when the caller named a configured client: nothing else a caller sent is logged. */
  clientId?: string;
}

interface ClientCredentials {
  id: string;
  secret: string;
}

const MAX_FORM_BYTES = 8192;
const PARAMETERS = ['grant_type', 'client_id', 'client_secret', 'scope'] as const;
const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400, invalid_client: 401, unauthorized_client: 400, unsupported_grant_type: 400, slow_down: 429, server_error: 500,
};

/** POST /cpis/oauth2/token: the OAuth2 client-credentials grant (RFC 6749 §4.4) for query clients. */
export async function tokenPlugin(app: FastifyInstance, deps: TokenPluginOptions): Promise<void> {
  acceptFormsOnly(app, MAX_FORM_BYTES);
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if ((err.statusCode ?? 500) >= 500) deps.log.error('query token request failed', { requestId: req.id, reason: err.code ?? err.message });
    sendError(reply, unreadable(err));
  });
  app.post('/cpis/oauth2/token', async (req, reply) => {
    const answer = await tokenRequest(deps, req);
    if ('error' in answer) {
      deps.log.warn('query token refused', { clientId: answer.clientId, error: answer.error });
      return sendError(reply, answer);
    }
    deps.log.info('query token issued', { clientId: answer.clientId });
    return noStore(reply).send({ access_token: answer.token, token_type: 'Bearer', expires_in: answer.expiresIn });
  });
}

async function tokenRequest(deps: TokenPluginOptions, req: FastifyRequest): Promise<OAuthError | { clientId: string; token: string; expiresIn: number }> {
  const form = req.body instanceof URLSearchParams ? req.body : undefined;
  if (!form) return invalidRequest(`the body must be an ${FORM} form`);
  const badRequest = requestProblem(form);
  if (badRequest) return badRequest;
  const credentials = clientCredentials(req.headers.authorization, form);
  if ('error' in credentials) return credentials;
  const check = await deps.callers.checkSecret(credentials.id, credentials.secret);
  if ('refused' in check) return { ...secretRefusal(check), clientId: deps.callers.knows(credentials.id) ? credentials.id : undefined };
  const { token, expiresIn } = await deps.tokens.issue(check.client.id, check.client.tokenLifetime);
  return { clientId: check.client.id, token, expiresIn };
}

function secretRefusal(check: Exclude<SecretCheck, { client: unknown }>): OAuthError {
  switch (check.refused) {
    case 'invalid_client': return { error: 'invalid_client', description: 'unknown client or wrong secret' };
    case 'unauthorized_client': return { error: 'unauthorized_client', description: 'this client is not allowed to query' };
    case 'too_many_attempts': return {
      error: 'slow_down', description: `too many wrong secrets for this client; retry after ${check.retryAfterSeconds} s`, retryAfterSeconds: check.retryAfterSeconds,
    };
  }
}

function requestProblem(form: URLSearchParams): OAuthError | undefined {
  const repeated = repeatedParameter(form, PARAMETERS);
  if (repeated) return invalidRequest(`${repeated} is given more than once`);
  const grantType = form.get('grant_type');
  if (!grantType) return invalidRequest('grant_type is missing');
  if (grantType !== 'client_credentials') return { error: 'unsupported_grant_type', description: 'only grant_type=client_credentials is supported' };
  return undefined;
}

/**
 * The client's id and secret from HTTP Basic (each form-encoded, RFC 6749 §2.3.1) or the form
 * body, not both. A client id in the body beside Basic is allowed when it is the same one.
 */
function clientCredentials(authorization: string | undefined, form: URLSearchParams): ClientCredentials | OAuthError {
  if (authorization === undefined) {
    const [id, secret] = [form.get('client_id'), form.get('client_secret')];
    if (id && secret) return { id, secret };
    return { error: 'invalid_client', description: 'no client authentication: give client_id and client_secret, in the form or as HTTP Basic' };
  }
  const basic = basicCredentials(authorization);
  if (!basic) return { error: 'invalid_client', description: 'the Authorization header is not HTTP Basic with a form-encoded client id and secret' };
  if (form.has('client_secret')) return invalidRequest('the client authenticates one way only: client_secret in the form and HTTP Basic both given');
  if (form.has('client_id') && form.get('client_id') !== basic.id) return invalidRequest('client_id in the form is not the client in HTTP Basic');
  return basic;
}

function basicCredentials(authorization: string): ClientCredentials | undefined {
  const encoded = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  try {
    const [id, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)].map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    return secret ? { id, secret } : undefined;
  } catch {
    return undefined;
  }
}

function unreadable(err: FastifyError): OAuthError {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return invalidRequest(`the body must be an ${FORM} form`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return invalidRequest(`the body is over ${MAX_FORM_BYTES} bytes`);
    default: return (err.statusCode ?? 500) < 500
      ? invalidRequest('the request could not be read')
      : { error: 'server_error', description: 'the token could not be issued; try again' };
  }
}

function invalidRequest(description: string): OAuthError {
  return { error: 'invalid_request', description };
}

function sendError(reply: FastifyReply, err: OAuthError): FastifyReply {
  noStore(reply).code(STATUS[err.error]);
  if (err.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="cpis", charset="UTF-8"');
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  return reply.send({ error: err.error, error_description: err.description });
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}
