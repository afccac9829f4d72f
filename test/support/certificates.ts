import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });

/**
 * In `dir`: a CA (`ca.key`, `ca.crt`), a server certificate for 127.0.0.1 (`server.*`) and one
 * client certificate per entry of `clients` (name → common name), all signed by the CA. Returns
 * a file's path by its name.
 */
export function makeCertificates(dir: string, clients: Record<string, string>): (name: string) => string {
  const file = (name: string) => join(dir, name);
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', file('ca.key'), '-out', file('ca.crt'));
  for (const [name, cn] of Object.entries({ server: '127.0.0.1', ...clients })) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-out', file(`${name}.crt`));
  }
  return file;
}

/** A self-signed certificate (`name.key`, `name.crt`) that no CA vouches for. */
export function makeSelfSigned(dir: string, name: string, cn: string): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${cn}`, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`));
}
