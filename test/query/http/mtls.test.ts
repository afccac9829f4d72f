import { randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { resolveConfig } from '../../../engine/config/load.js';
import { QueryCallers, isRefusal } from '../../../engine/query/callers.js';
import { peerCertificateFingerprint } from '../../../engine/query/certificate.js';
import { RateLimiter } from '../../../engine/query/rate-limit.js';
import { QueryTokens } from '../../../engine/query/tokens.js';
import { makeCertificates, makeSelfSigned } from '../../support/certificates.js';
import { REDIS_URL, SANDBOX_CONFIG } from '../../support/hub.js';

const prefix = `test:query-mtls:${randomUUID().slice(0, 8)}:`;
const dir = mkdtempSync(join(tmpdir(), 'cpisx-query-mtls-'));
const redis = new Redis(REDIS_URL);
const servers: FastifyInstance[] = [];
let file: (name: string) => string;

/** An HTTPS server asking for client certificates, answering who the query's caller is. */
async function serve(callers: QueryCallers, rejectUnauthorized: boolean): Promise<string> {
  const app = Fastify({
    https: { key: readFileSync(file('server.key')), cert: readFileSync(file('server.crt')), ca: readFileSync(file('ca.crt')), requestCert: true, rejectUnauthorized },
  });
  app.get('/who', async (req) => {
    const caller = await callers.authenticate({ headers: req.headers, peerCertificateFingerprint: peerCertificateFingerprint(req.socket) });
    return isRefusal(caller) ? caller : { client: caller.client.id };
  });
  servers.push(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

function who(url: string, certificate?: string): Promise<unknown> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/who', ca: readFileSync(file('ca.crt')), checkServerIdentity: () => undefined,
      ...(certificate ? { key: readFileSync(file(`${certificate}.key`)), cert: readFileSync(file(`${certificate}.crt`)) } : {}),
    }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

let verifying: string;
let lenient: string;
beforeAll(async () => {
  file = makeCertificates(dir, { trust: 'rr8-ed.example.nhs.uk', other: 'someone-else.example.nhs.uk' });
  makeSelfSigned(dir, 'stranger', 'rr8-ed.example.nhs.uk');
  // Configured as plain lower-case hex; the peer's fingerprint comes colon-separated upper case.
  const fingerprint = (name: string) => new X509Certificate(readFileSync(file(`${name}.crt`))).fingerprint256.replace(/:/g, '').toLowerCase();
  const raw = parseYaml(readFileSync(SANDBOX_CONFIG, 'utf8'));
  raw.queryClients = [
    { id: 'by-certificate', organisation: 'X26', certificate: fingerprint('trust') },
    { id: 'stranger', organisation: 'X26', certificate: fingerprint('stranger') },
  ];
  const callers = new QueryCallers(resolveConfig(raw, SANDBOX_CONFIG, {}), new QueryTokens(redis, prefix), new RateLimiter(redis, prefix));
  verifying = await serve(callers, true);
  lenient = await serve(callers, false);
});
afterAll(async () => {
  for (const app of servers) await app.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

test('a client certificate from the CA whose fingerprint is configured names its client', async () => {
  expect(await who(verifying, 'trust')).toEqual({ client: 'by-certificate' });
});

test('a certificate from the CA that no client has is not a caller', async () => {
  expect(await who(verifying, 'other')).toEqual({ refused: 'UNAUTHENTICATED', message: "the client certificate is not a query client's, and there is no Authorization header" });
});

test('a certificate the CA did not sign counts for nothing, even when its fingerprint is configured', async () => {
  expect(await who(lenient, 'stranger')).toMatchObject({ refused: 'UNAUTHENTICATED', message: expect.stringMatching(/^no Authorization header/) });
  await expect(who(verifying, 'stranger')).rejects.toThrow(); // and a verifying hub refuses the handshake
});

test('without a certificate there is no caller', async () => {
  expect(await who(lenient)).toMatchObject({ refused: 'UNAUTHENTICATED' });
});
