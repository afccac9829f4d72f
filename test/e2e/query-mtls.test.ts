import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { makeCertificates } from '../support/certificates.js';
import { SAMPLE_CONFIG } from '../support/cpis.js';
import { spawnHub, type HubProcess } from '../support/hub-process.js';
import { careTeamPath, ED_USER } from '../support/query.js';

/*
 * The point-of-care query over mutual TLS, against the hub as a real process serving
 * mesh.tls with client certificates: the certificate alone names the query client (no
 * token), and a certificate from the same CA that no client has is refused.
 */
const dir = mkdtempSync(join(tmpdir(), 'cpisx-query-mtls-hub-'));
const file = makeCertificates(dir, { trust: 'rr8-ed.example.nhs.uk', other: 'someone-else.example.nhs.uk' });
let hub: HubProcess;

beforeAll(async () => {
  const config = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8'));
  config.mesh.tls = { key: file('server.key'), cert: file('server.crt'), ca: file('ca.crt'), requireClientCert: true };
  const fingerprint = new X509Certificate(readFileSync(file('trust.crt'))).fingerprint256;
  config.queryClients = [{ id: 'rr8-ed-mtls', organisation: 'RR8', certificate: fingerprint, departmentType: '01' }];
  writeFileSync(join(dir, 'hub.yaml'), stringifyYaml(config));
  hub = await spawnHub(join(dir, 'hub.yaml'), { HOST: '127.0.0.1' });
}, 60_000);

afterAll(async () => { await hub?.stop(); });

/** A FHIR GET over HTTPS presenting `certificate`'s key pair, with the stated user. */
function fhirOverTls(path: string, certificate: string): Promise<{ status: number; type: string | undefined; body: { resourceType?: string; issue?: { details?: { coding?: { code?: string }[] } }[] } }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: new URL(hub.url).port, path, headers: { ...ED_USER, 'X-Request-ID': `mtls-${certificate}` },
      // The test CA's server certificate names 127.0.0.1 as its CN only (no subjectAltName), which Node does not match.
      ca: readFileSync(file('ca.crt')), checkServerIdentity: () => undefined,
      key: readFileSync(file(`${certificate}.key`)), cert: readFileSync(file(`${certificate}.crt`)),
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the configured client certificate is the caller: a CareTeam search answers with no token', async () => {
  const answer = await fhirOverTls(`/cpis/FHIR/R4${careTeamPath('9689177621')}`, 'trust');
  expect([answer.status, answer.type, answer.body.resourceType]).toEqual([200, 'application/fhir+json; charset=utf-8', 'Bundle']);
});

test('a certificate from the same CA that no query client has is refused as unauthenticated', async () => {
  const answer = await fhirOverTls(`/cpis/FHIR/R4${careTeamPath('9689177621')}`, 'other');
  expect([answer.status, answer.body.issue?.[0]?.details?.coding?.[0]?.code]).toEqual([401, 'ACCESS_DENIED']);
});
