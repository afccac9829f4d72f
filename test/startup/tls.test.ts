import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAuthorization } from '../../engine/mesh/auth-token.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const dir = mkdtempSync(join(tmpdir(), 'cpisx-tls-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });

/** A CA, a server certificate for 127.0.0.1 and a client certificate named as MESH names them. */
function makeCertificates(): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', file('ca.key'), '-out', file('ca.crt'));
  for (const [name, cn] of [['server', '127.0.0.1'], ['client', 'local1.X26.api.mesh-client.nhs.uk']]) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-out', file(`${name}.crt`));
  }
}

function handshake(url: string, withClientCert: boolean): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/messageexchange/X26ABC1', method: 'POST', ca: readFileSync(file('ca.crt')),
      checkServerIdentity: () => undefined,
      headers: { authorization: makeAuthorization({ mailboxId: 'X26ABC1', password: 'password', sharedKey: 'TestKey' }) },
      ...(withClientCert ? { key: readFileSync(file('client.key')), cert: readFileSync(file('client.crt')) } : {}),
    }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}

let hub: TestHub;
beforeAll(async () => {
  makeCertificates();
  hub = await startTestHub({ mesh: { tls: { key: file('server.key'), cert: file('server.crt'), ca: file('ca.crt'), requireClientCert: true } } });
});
afterAll(() => hub.stop());

test('with requireClientCert the hub serves HTTPS to a client with a certificate from the CA', async () => {
  expect(hub.url.startsWith('https://')).toBe(true);
  expect(await handshake(hub.url, true)).toBe(200);
});

test('and refuses a client without one', async () => {
  await expect(handshake(hub.url, false)).rejects.toThrow();
});
