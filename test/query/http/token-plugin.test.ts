import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { resolveConfig } from '../../../engine/config/load.js';
import { QueryCallers, type Caller } from '../../../engine/query/callers.js';
import { tokenPlugin } from '../../../engine/query/http/token-plugin.js';
import { RateLimiter } from '../../../engine/query/rate-limit.js';
import { QueryTokens } from '../../../engine/query/tokens.js';
import { memoryLogger, REDIS_URL, SANDBOX_CONFIG } from '../../support/hub.js';

const prefix = `test:query-token-plugin:${randomUUID().slice(0, 8)}:`;
const URL_PATH = '/cpis/oauth2/token';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const raw = parseYaml(readFileSync(SANDBOX_CONFIG, 'utf8'));
raw.queryClients = [
  { id: 'ed', organisation: 'X26', secret: 'ed-secret:with+odd chars', tokenLifetime: '10m' },
  { id: 'off', organisation: 'X26', secret: 'off-secret', allowed: false },
  { id: 'guessed', organisation: 'X27', secret: 'guessed-secret' },
];
const config = resolveConfig(raw, SANDBOX_CONFIG, {});

const redis = new Redis(REDIS_URL);
const tokens = new QueryTokens(redis, prefix);
const callers = new QueryCallers(config, tokens, new RateLimiter(redis, prefix));
const logged: object[] = [];
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = Fastify();
  await app.register(tokenPlugin, { callers, tokens, log: memoryLogger(logged) });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
/** The answer to a POST at the token endpoint over real HTTP. */
async function post(options: { headers?: Record<string, string>; payload?: string }) {
  const res = await fetch(`${base}${URL_PATH}`, { method: 'POST', headers: options.headers, body: options.payload });
  const body = await res.json();
  return { statusCode: res.status, headers: Object.fromEntries(res.headers), json: () => body };
}
const GRANT = { grant_type: 'client_credentials' };

test('client id and secret in the form: a bearer token that authenticates queries, not to be cached', async () => {
  const res = await post({ headers: FORM, payload: form({ ...GRANT, client_id: 'ed', client_secret: 'ed-secret:with+odd chars' }) });
  expect(res.statusCode).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['pragma']).toBe('no-cache');
  const body = res.json();
  expect(body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 600 });
  const caller = await callers.authenticate({ headers: { authorization: `Bearer ${body.access_token}` } }) as Caller;
  expect(caller.client.id).toBe('ed');
});

test('HTTP Basic, with id and secret form-encoded as RFC 6749 asks, and a charset on the content type', async () => {
  const res = await post({
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', authorization: basic('ed', 'ed-secret:with+odd chars') },
    payload: form({ ...GRANT, scope: 'anything' }),
  });
  expect(res.statusCode).toBe(200);
  expect(await tokens.resolve(res.json().access_token)).toBe('ed');
});

test('HTTP Basic beside the same client_id in the form is accepted; beside a secret in the form, or another id, it is not', async () => {
  const headers = { ...FORM, authorization: basic('ed', 'ed-secret:with+odd chars') };
  expect((await post({ headers, payload: form({ ...GRANT, client_id: 'ed' }) })).statusCode).toBe(200);
  const both = await post({ headers, payload: form({ ...GRANT, client_secret: 'ed-secret:with+odd chars' }) });
  const other = await post({ headers, payload: form({ ...GRANT, client_id: 'off' }) });
  expect([both.statusCode, both.json().error]).toEqual([400, 'invalid_request']);
  expect([other.statusCode, other.json().error]).toEqual([400, 'invalid_request']);
});

test('a wrong secret and an unknown client are alike: 401 invalid_client with a challenge, echoing no secret', async () => {
  const wrong = await post({ headers: FORM, payload: form({ ...GRANT, client_id: 'ed', client_secret: 'not-the-secret' }) });
  const unknown = await post({ headers: { ...FORM, authorization: basic('nobody', 'not-the-secret') }, payload: form(GRANT) });
  for (const res of [wrong, unknown]) {
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm="cpis"/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ error: 'invalid_client', error_description: 'unknown client or wrong secret' });
  }
});

test('no client authentication, or an Authorization header that is not Basic: invalid_client', async () => {
  const none = await post({ headers: FORM, payload: form(GRANT) });
  const secretOnly = await post({ headers: FORM, payload: form({ ...GRANT, client_secret: 'ed-secret' }) });
  const bearer = await post({ headers: { ...FORM, authorization: 'Bearer abc' }, payload: form(GRANT) });
  const noColon = await post({ headers: { ...FORM, authorization: `Basic ${Buffer.from('ed').toString('base64')}` }, payload: form(GRANT) });
  const badEncoding = await post({ headers: { ...FORM, authorization: `Basic ${Buffer.from('ed:%E0%A4%A').toString('base64')}` }, payload: form(GRANT) });
  for (const res of [none, secretOnly, bearer, noColon, badEncoding]) {
    expect([res.statusCode, res.json().error]).toEqual([401, 'invalid_client']);
    expect(res.headers['www-authenticate']).toBeDefined();
  }
});

test('a client with allowed: false and its right secret is an unauthorized client', async () => {
  const res = await post({ headers: FORM, payload: form({ ...GRANT, client_id: 'off', client_secret: 'off-secret' }) });
  expect(res.statusCode).toBe(400);
  expect(res.json()).toEqual({ error: 'unauthorized_client', error_description: 'this client is not allowed to query' });
});

test('another grant type is unsupported; none, or one given twice, is an invalid request', async () => {
  const credentials = { client_id: 'ed', client_secret: 'ed-secret:with+odd chars' };
  const password = await post({ headers: FORM, payload: form({ grant_type: 'password', ...credentials }) });
  const none = await post({ headers: FORM, payload: form(credentials) });
  const twice = await post({ headers: FORM, payload: `${form({ ...GRANT, ...credentials })}&grant_type=client_credentials` });
  expect([password.statusCode, password.json()]).toEqual([400, { error: 'unsupported_grant_type', error_description: 'only grant_type=client_credentials is supported' }]);
  expect([none.statusCode, none.json()]).toEqual([400, { error: 'invalid_request', error_description: 'grant_type is missing' }]);
  expect([twice.statusCode, twice.json()]).toEqual([400, { error: 'invalid_request', error_description: 'grant_type is given more than once' }]);
});

test('a body that is not a form, none at all, or one too large: an invalid request in OAuth2\'s JSON', async () => {
  const json = await post({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...GRANT, client_id: 'ed', client_secret: 'x' }) });
  const xml = await post({ headers: { 'content-type': 'application/xml' }, payload: '<grant/>' });
  const empty = await post({ headers: { authorization: basic('ed', 'ed-secret:with+odd chars') } });
  const huge = await post({ headers: FORM, payload: form({ ...GRANT, client_id: 'ed', client_secret: 'x'.repeat(10_000) }) });
  expect(json.json()).toEqual({ error: 'invalid_request', error_description: 'the body must be an application/x-www-form-urlencoded form' });
  expect(xml.json().error_description).toBe('the body must be an application/x-www-form-urlencoded form');
  expect(empty.json().error_description).toBe('the body must be an application/x-www-form-urlencoded form');
  expect(huge.json()).toEqual({ error: 'invalid_request', error_description: 'the body is over 8192 bytes' });
  for (const res of [json, xml, empty, huge]) expect(res.statusCode).toBe(400);
});

test('after ten wrong secrets a client id is held off with 429 and Retry-After, even with the right secret', async () => {
  const attempt = (secret: string) => post({ headers: FORM, payload: form({ ...GRANT, client_id: 'guessed', client_secret: secret }) });
  for (let i = 0; i < 10; i++) expect((await attempt(`guess-${i}`)).statusCode).toBe(401);
  const held = await attempt('guessed-secret');
  expect(held.statusCode).toBe(429);
  expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(held.json()).toEqual({ error: 'slow_down', error_description: expect.stringMatching(/^too many wrong secrets for this client; retry after \d+ s$/) });
});

test('the log names client ids and outcomes only: no secret, no token', async () => {
  const res = await post({ headers: FORM, payload: form({ ...GRANT, client_id: 'ed', client_secret: 'ed-secret:with+odd chars' }) });
  await post({ headers: FORM, payload: form({ ...GRANT, client_id: '9434765919', client_secret: 'x' }) }); // not a client: not logged
  const text = JSON.stringify(logged);
  expect(text).toContain('"clientId":"ed"');
  expect(text).toContain('"error":"invalid_client"');
  expect(text).toContain('"clientId":"guessed"');
  for (const secret of ['ed-secret', 'not-the-secret', 'guess-', res.json().access_token, '9434765919']) expect(text).not.toContain(secret);
});
