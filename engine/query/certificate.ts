import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

const HEX_PAIRS = /^(?:[0-9A-F]{2}:?){31}[0-9A-F]{2}$/;

/**
 * A SHA-256 certificate fingerprint in Node's form (`AB:CD:…`, as `fingerprint256` and
 * `openssl x509 -fingerprint -sha256` give it), from that form or plain hex in either case;
 * undefined when it is not 32 bytes of hex.
 */
export function canonicalFingerprint(text: string): string | undefined {
  const upper = text.trim().toUpperCase();
  if (!HEX_PAIRS.test(upper)) return undefined;
  return upper.replace(/:/g, '').match(/../g)!.join(':');
}

/**
 * The fingerprint of the client certificate the TLS handshake verified against the hub's CA;
 * undefined over plain HTTP, without a certificate, or with one the CA did not sign.
 */
export function peerCertificateFingerprint(socket: Socket): string | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  return fingerprint ? canonicalFingerprint(fingerprint) : undefined;
}
