import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `ok` answers 200, `fail` answers 500, `hang` takes the request and never answers. */
export type ReceiverMode = 'ok' | 'fail' | 'hang';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The status it was answered with; undefined while hanging. */
  status?: number;
}

export interface WebhookReceiver {
  url: string;
  /** Switch at any time; applies to requests that arrive afterwards. */
  mode: ReceiverMode;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

const STATUS: Record<Exclude<ReceiverMode, 'hang'>, number> = { ok: 200, fail: 500 };

/** A real HTTP server on a free port standing in for an LA system's webhook. */
export async function startWebhookReceiver(mode: ReceiverMode = 'ok'): Promise<WebhookReceiver> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(parts) };
      receiver.requests.push(request);
      if (receiver.mode === 'hang') return;
      request.status = STATUS[receiver.mode];
      res.writeHead(request.status, { 'content-type': 'text/plain' }).end(receiver.mode);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/cpis/inbound`,
    mode,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
