import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { resolveConfig, type HubConfig } from '../../engine/config/load.js';
import { QueryCallers, type Caller, type DoorRefusal, type QueryRefusal } from '../../engine/query/callers.js';
import { RateLimiter } from '../../engine/query/rate-limit.js';
import { QueryTokens } from '../../engine/query/tokens.js';
import { REDIS_URL, SANDBOX_CONFIG } from '../support/hub.js';
import { until } from '../support/wait.js';

const prefix = `test:query-callers:${randomUUID().slice(0, 8)}:`;
const FINGERPRINT = Array(32).fill('C3').join(':');
const PERSON = { name: 'Dr Alex Morgan', role: 'Clinical Lead', roleCode: 'R0260', id: '555000000123' };

/** The sandbox's two trusts (X26, X27) with a query client of each kind; `change` edits the list first. */
function config(change: (clients: Record<string, unknown>[]) => void = () => {}): HubConfig {
  const raw = parseYaml(readFileSync(SANDBOX_CONFIG, 'utf8'));
  raw.queryClients = [
    { id: 'ed', organisation: 'X26', secret: 'ed-secret' },
    { id: 'system', organisation: 'X27', secret: 'system-secret', asid: '200000000123', responsiblePerson: PERSON },
    { id: 'system-no-asid', organisation: 'X27', secret: 's', responsiblePerson: { name: 'Dr Sam Lee' } },
    { id: 'off', organisation: 'X26', secret: 'off-secret', allowed: false },
    { id: 'mtls', organisation: 'X26', certificate: FINGERPRINT.replace(/:/g, '').toLowerCase() },
    { id: 'slow', organisation: 'X26', secret: 's', rateLimit: { perSecond: 1 / 60, burst: 2 } },
    { id: 'quick', organisation: 'X26', secret: 's', rateLimit: { perSecond: 2, burst: 1 } },
    { id: 'shared', organisation: 'X27', secret: 's', rateLimit: { perSecond: 1 / 60, burst: 3 } },
  ];
  change(raw.queryClients);
  return resolveConfig(raw, SANDBOX_CONFIG, {});
}

const connections: Redis[] = [];
/** The query's callers as one hub process sees them: its own Redis connection. */
function hubProcess(cfg = config()): { callers: QueryCallers; tokens: QueryTokens } {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  const tokens = new QueryTokens(redis, prefix);
  return { callers: new QueryCallers(cfg, tokens, new RateLimiter(redis, prefix)), tokens };
}

let callers: QueryCallers;
let tokens: QueryTokens;
beforeAll(() => ({ callers, tokens } = hubProcess()));
afterAll(async () => {
  const keys = await connections[0].keys(`${prefix}*`);
  if (keys.length) await connections[0].del(...keys);
  for (const c of connections) c.disconnect();
});

const bearer = async (clientId: string, lifetimeMs = 60_000) => ({ authorization: `Bearer ${(await tokens.issue(clientId, lifetimeMs)).token}` });
const refusal = (value: Caller | QueryRefusal | object) => value as QueryRefusal;

describe('authenticate', () => {
  test('a bearer token names its client and the trust it asks for', async () => {
    const caller = await callers.authenticate({ headers: await bearer('ed') }) as Caller;
    expect(caller.client.id).toBe('ed');
    expect(caller.client.departmentType).toBe('01');
    expect(caller.organisation).toEqual({ ods: 'X26', name: 'TEST ORG X26' });
  });

  test('the scheme is case-insensitive, as HTTP says', async () => {
    const { token } = await tokens.issue('ed', 60_000);
    expect((await callers.authenticate({ headers: { authorization: `bearer ${token}` } }) as Caller).client.id).toBe('ed');
  });

  test('no Authorization and no certificate, another scheme, a forged token: UNAUTHENTICATED, echoing nothing', async () => {
    const { token } = await tokens.issue('ed', 60_000);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const answers = [
      await callers.authenticate({ headers: {} }),
      await callers.authenticate({ headers: { authorization: `Basic ${Buffer.from('ed:ed-secret').toString('base64')}` } }),
      await callers.authenticate({ headers: { authorization: `Bearer ${forged}` } }),
      await callers.authenticate({ headers: { authorization: 'Bearer' } }),
    ].map(refusal);
    expect(answers.map((a) => a.refused)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(answers[0].message).toMatch(/no Authorization header/);
    expect(answers[1].message).toMatch(/not Bearer/);
    expect(answers[2].message).toMatch(/unknown or has expired/);
    for (const a of answers) {
      expect(a.message).not.toContain(forged);
      expect(a.message).not.toContain('ed-secret');
      expect(a.message).not.toContain(Buffer.from('ed:ed-secret').toString('base64'));
    }
  });

  test('an expired token is refused', async () => {
    const headers = await bearer('ed', 200);
    await until(async () => (refusal(await callers.authenticate({ headers })).refused === 'UNAUTHENTICATED' ? true : undefined), 5_000, 50);
    expect(refusal(await callers.authenticate({ headers })).message).toMatch(/unknown or has expired/);
  });

  test('a token whose client has since been removed from the configuration is refused', async () => {
    const headers = await bearer('ed');
    const { callers: after } = hubProcess(config((clients) => clients.splice(0, 1)));
    expect(refusal(await after.authenticate({ headers }))).toEqual({ refused: 'UNAUTHENTICATED', message: "the bearer token's client ed is no longer configured" });
  });

  test('a client with allowed: false is denied, whether configured so or changed after its token was issued', async () => {
    // The client is named with its refusal, so the refusal can be audited against it.
    expect(refusal(await callers.authenticate({ headers: await bearer('off') }))).toMatchObject({
      refused: 'ACCESS_DENIED', message: 'query client off is not allowed to query', caller: { client: { id: 'off' }, organisation: { ods: 'X26' } },
    });
    const headers = await bearer('ed');
    const { callers: after } = hubProcess(config((clients) => { clients[0].allowed = false; }));
    expect(refusal(await after.authenticate({ headers })).refused).toBe('ACCESS_DENIED');
  });

  test('without an Authorization header, a configured client certificate names its client', async () => {
    expect((await callers.authenticate({ headers: {}, peerCertificateFingerprint: FINGERPRINT }) as Caller).client.id).toBe('mtls');
    const unknown = refusal(await callers.authenticate({ headers: {}, peerCertificateFingerprint: Array(32).fill('00').join(':') }));
    expect(unknown).toEqual({ refused: 'UNAUTHENTICATED', message: "the client certificate is not a query client's, and there is no Authorization header" });
  });

  test('an Authorization header is what counts when there is one, certificate or not', async () => {
    const answer = refusal(await callers.authenticate({ headers: { authorization: 'Bearer not-a-token' }, peerCertificateFingerprint: FINGERPRINT }));
    expect(answer.refused).toBe('UNAUTHENTICATED');
  });

  test('over its rate limit a client is refused with the seconds to wait; another client is not', async () => {
    const headers = await bearer('slow');
    expect((await callers.authenticate({ headers }) as Caller).client.id).toBe('slow');
    expect((await callers.authenticate({ headers }) as Caller).client.id).toBe('slow');
    const over = refusal(await callers.authenticate({ headers }));
    expect([over.refused, (over as DoorRefusal).caller?.client.id]).toEqual(['RATE_LIMITED', 'slow']);
    expect(over.retryAfterSeconds).toBeGreaterThan(55);
    expect(over.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(over.message).toMatch(/^query client slow is over its rate limit of 0\.01\d* a second \(burst 2\); retry after \d+ s$/);
    expect((await callers.authenticate({ headers: await bearer('ed') }) as Caller).client.id).toBe('ed');
  });

  test('after Retry-After the client is allowed again', async () => {
    const headers = await bearer('quick');
    expect((await callers.authenticate({ headers }) as Caller).client.id).toBe('quick');
    expect(refusal(await callers.authenticate({ headers }))).toMatchObject({ refused: 'RATE_LIMITED', retryAfterSeconds: 1 });
    await until(async () => ('client' in await callers.authenticate({ headers }) ? true : undefined), 5_000, 100);
  });

  test('two hub processes share a client\'s limit', async () => {
    const [one, two] = [hubProcess(), hubProcess()];
    const { token } = await one.tokens.issue('shared', 60_000);
    const headers = { authorization: `Bearer ${token}` };
    const outcomes = [];
    for (const p of [one, two, one, two, one]) outcomes.push(await p.callers.authenticate({ headers }));
    expect(outcomes.map((o) => ('client' in o ? 'ok' : o.refused))).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});

describe('statedAccessor', () => {
  let ed: Caller;
  let system: Caller;
  let systemNoAsid: Caller;
  beforeAll(async () => {
    [ed, system, systemNoAsid] = await Promise.all(['ed', 'system', 'system-no-asid'].map(async (id) => callers.authenticate({ headers: await bearer(id) }) as Promise<Caller>));
  });
  const stated = (headers: IncomingHttpHeaders, caller = ed) => callers.statedAccessor(headers, caller);

  test('the user a system states, every field trimmed', () => {
    expect(stated({
      'x-user-name': '  Dr Jo Bloggs ', 'x-user-role': 'Consultant', 'x-user-id': '123456789012',
      'x-user-role-code': 'R8000', 'x-user-role-profile-id': '987654321098',
    })).toEqual({ name: 'Dr Jo Bloggs', role: 'Consultant', id: '123456789012', roleCode: 'R8000', roleProfileId: '987654321098' });
    expect(stated({ 'x-user-name': 'Dr Jo Bloggs' })).toEqual({ name: 'Dr Jo Bloggs' });
  });

  test('a client that states its users must state one', () => {
    expect(stated({})).toEqual({ refused: 'NO_STATED_USER', message: 'X-User-Name is required: query client ed has no responsible person to ask on behalf of' });
    expect(stated({ 'x-user-name': '   ' })).toMatchObject({ refused: 'NO_STATED_USER' });
  });

  test('a system asking without a user is its responsible person, the system named by its ASID, else its id', () => {
    expect(stated({}, system)).toEqual({ ...PERSON, system: '200000000123' });
    expect(stated({}, systemNoAsid)).toEqual({ name: 'Dr Sam Lee', system: 'system-no-asid' });
  });

  test('a system may still state a user, who is then the accessor', () => {
    expect(stated({ 'x-user-name': 'Dr Jo Bloggs', 'x-user-role': 'Nurse' }, system)).toEqual({ name: 'Dr Jo Bloggs', role: 'Nurse' });
  });

  test('a role, id or code without a name is refused, not read as the responsible person', () => {
    expect(stated({ 'x-user-role': 'Consultant' }, system)).toEqual({ refused: 'NO_STATED_USER', message: 'X-User-Role is given without X-User-Name' });
    expect(stated({ 'x-user-role-profile-id': '987654321098' })).toEqual({ refused: 'NO_STATED_USER', message: 'X-User-Role-Profile-Id is given without X-User-Name' });
  });

  test('over 200 characters, control characters or a repeated header: refused, naming the header and not its value', () => {
    const long = stated({ 'x-user-name': 'A'.repeat(201) });
    const control = stated({ 'x-user-name': 'Dr Jo\u0007 Bloggs' });
    const tab = stated({ 'x-user-name': 'Dr Jo', 'x-user-role': 'Consult\tant' });
    const repeated = stated({ 'x-user-name': ['Dr A', 'Dr B'] as unknown as string });
    expect([long, control, tab, repeated]).toEqual([
      { refused: 'NO_STATED_USER', message: 'X-User-Name is over 200 characters' },
      { refused: 'NO_STATED_USER', message: 'X-User-Name has control characters' },
      { refused: 'NO_STATED_USER', message: 'X-User-Role has control characters' },
      { refused: 'NO_STATED_USER', message: 'X-User-Name is given more than once' },
    ]);
    expect(stated({ 'x-user-name': `  ${'A'.repeat(200)}  ` })).toEqual({ name: 'A'.repeat(200) });
  });

  test('header bytes are read as UTF-8, as clients send names with accents; other bytes are refused', () => {
    const onTheWire = Buffer.from('Dr Siobhán Ó Dálaigh', 'utf8').toString('latin1'); // how Node hands over header bytes
    expect(stated({ 'x-user-name': onTheWire })).toEqual({ name: 'Dr Siobhán Ó Dálaigh' });
    expect(stated({ 'x-user-name': Buffer.from('Dr Siobhán', 'latin1').toString('latin1') })).toEqual({ refused: 'NO_STATED_USER', message: 'X-User-Name is not UTF-8' });
  });
});

describe('mayActFor', () => {
  test('a caller acts for its own trust only', async () => {
    const caller = await callers.authenticate({ headers: await bearer('ed') }) as Caller;
    expect(callers.mayActFor(caller, 'X26')).toBe(true);
    expect(callers.mayActFor(caller, 'X27')).toBe(false);
    expect(callers.mayActFor(caller, 'x26')).toBe(false);
  });
});

describe('checkSecret', () => {
  test('the right secret gives the client; a wrong one, an unknown client or a certificate-only client does not', async () => {
    expect(await callers.checkSecret('system', 'system-secret')).toMatchObject({ client: { id: 'system' } });
    expect(await callers.checkSecret('system', 'system-secreT')).toEqual({ refused: 'invalid_client' });
    expect(await callers.checkSecret('system', '')).toEqual({ refused: 'invalid_client' });
    expect(await callers.checkSecret('nobody', 'system-secret')).toEqual({ refused: 'invalid_client' });
    expect(await callers.checkSecret('mtls', 'anything')).toEqual({ refused: 'invalid_client' });
  });

  test('a client with allowed: false is unauthorized with the right secret, and an invalid client with a wrong one', async () => {
    expect(await callers.checkSecret('off', 'off-secret')).toEqual({ refused: 'unauthorized_client' });
    expect(await callers.checkSecret('off', 'guess')).toEqual({ refused: 'invalid_client' });
  });

  test('ten wrong secrets, and the client id is held off, even with the right one; others are not', async () => {
    const { callers: fresh } = hubProcess(config((clients) => clients.push({ id: 'guessed', organisation: 'X26', secret: 'right' })));
    for (let i = 0; i < 20; i++) expect(await fresh.checkSecret('guessed', 'right')).toMatchObject({ client: { id: 'guessed' } }); // successes use nothing
    for (let i = 0; i < 10; i++) expect(await fresh.checkSecret('guessed', `guess-${i}`)).toEqual({ refused: 'invalid_client' });
    const held = await fresh.checkSecret('guessed', 'right');
    expect(held).toMatchObject({ refused: 'too_many_attempts' });
    expect((held as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(5);
    expect((held as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(await fresh.checkSecret('ed', 'ed-secret')).toMatchObject({ client: { id: 'ed' } });
  });
});
