import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { MeshError } from '../errors.js';
import { apiVersion } from './version.js';
import { viewFor, type View } from './views.js';

/** What Node's HTTP parser gives the `clientError` event: its code and the bytes it was reading (a Buffer). */
export type ClientError = Error & { code?: string; rawPacket?: unknown };

// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for (HTAB is allowed in a value)
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a control character in a
 * header, an over-long head, a head that never finishes) are answered in the MESH error
 * shape, as the other header errors are, instead of Node's bare `400 Client Error`.
 */
export function meshClientErrorHandler(newRequestId: () => string) {
  return (err: ClientError, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const lines = headLines(err.rawPacket);
    const meshError = asMeshError(err, lines);
    if (socket.writable) {
      const view = viewOf(lines);
      const body = JSON.stringify(view.error(meshError, newRequestId()));
      socket.write(`HTTP/1.1 ${meshError.status} ${STATUS_CODES[meshError.status]}\r\nContent-Type: ${view.mediaType}\r\n`
        + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy();
  };
}

function asMeshError(err: ClientError, lines: string[]): MeshError {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new MeshError('REQUEST_TIMEOUT');
  if (err.code === 'HPE_HEADER_OVERFLOW') return new MeshError('HEADERS_TOO_LARGE');
  const faulty = lines.slice(1).find((line) => CONTROL.test(line));
  if (faulty === undefined) return new MeshError('BAD_REQUEST', 'the request could not be parsed');
  // The name only, and only when it is a plain token: a header's value is never echoed.
  const name = faulty.split(':')[0].trim();
  return new MeshError('MALFORMED_HEADERS', TOKEN.test(name) ? `${name.toLowerCase()} has a control character` : 'a header name has a control character');
}

/** The view the caller asked for with Accept, as for any other error; v1 when it cannot be told. */
function viewOf(lines: string[]): View {
  const accept = lines.find((line) => /^accept\s*:/i.test(line))?.replace(/^accept\s*:/i, '').trim();
  try {
    return viewFor(apiVersion(accept));
  } catch {
    return viewFor(1);
  }
}

/** The request line and header lines of the bytes the parser was reading (the part before any body). */
function headLines(raw: unknown): string[] {
  if (!Buffer.isBuffer(raw)) return [];
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  return (end === -1 ? text : text.slice(0, end)).split('\r\n');
}
