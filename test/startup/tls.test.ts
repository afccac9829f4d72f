import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAuthorization } from '../../engine/mesh/auth-token.js';
import { makeCertificates } from '../support/certificates.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const dir = mkdtempSync(join(tmpdir(), 'cpisx-tls-'));
const file = (name: string) => join(dir, name);

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
  // The client certificate is named as MESH names them.
  makeCertificates(dir, { client: 'local1.X26.api.mesh-client.nhs.uk' });
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
