import { afterEach } from '@jest/globals';
import { MeshClient, type MeshClientOptions } from '../../adapters/mesh-client/index.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  /** The query string, `?` included, or ''. */
  search: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** `try` counts requests to the same method + path, from 1, so a handler can fail the first and answer the next. */
export type StubHandler = (req: SeenRequest, res: ServerResponse, tryNumber: number) => void;

export interface StubServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A real HTTP server standing in for MESH where a test needs answers the hub would never give. */
export async function startStub(handler: StubHandler): Promise<StubServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const { pathname: path, search } = new URL(req.url ?? '/', 'http://stub');
      const request = { method: req.method ?? '', path, search, headers: req.headers, body: Buffer.concat(parts) };
      seen.push(request);
      handler(request, res, seen.filter((s) => s.method === request.method && s.path === path).length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Ends the exchange without an answer, as a crashed proxy or a reset link would. */
export function drop(res: ServerResponse): void {
  res.socket?.destroy();
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/vnd.mesh.v2+json', ...headers });
  res.end(JSON.stringify(body));
}

export const STUB_CREDENTIALS = { mailboxId: 'X26ABC1', password: 'password', sharedKey: 'TestKey' };

/**
 * For a test file: each test's client talks to a stub of its own, closed after the
 * test. `seen()` is what the current test's stub received.
 */
export function stubClients(defaults: Partial<MeshClientOptions>) {
  let stub: StubServer | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  return {
    async client(handler: StubHandler, opts: Partial<MeshClientOptions> = {}): Promise<MeshClient> {
      stub = await startStub(handler);
      return new MeshClient({ ...STUB_CREDENTIALS, baseUrl: stub.url, ...defaults, ...opts });
    },
    seen: (): SeenRequest[] => stub!.seen,
  };
}
