import { createServer } from 'node:http';

/**
 * The least a server can do for `npm run bench`'s three calls: no authentication, no
 * Redis, no logs, messages kept in a Map. Run the benchmark against it to see what the
 * machine and the benchmark client alone allow, before reading the hub's figures:
 *   npx tsx bench/null-hub.ts &   npm run bench -- --url http://127.0.0.1:8799
 */
const store = new Map<string, Buffer>();
let sent = 0;

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (d: Buffer) => parts.push(d));
  req.on('end', () => {
    const path = (req.url ?? '').split('?')[0].split('/');
    if (req.method === 'POST') {
      const id = `NULL${++sent}`;
      store.set(id, Buffer.concat(parts));
      return json(res, 202, { message_id: id });
    }
    const id = path[4];
    if (req.method === 'GET') {
      const body = store.get(id) ?? Buffer.alloc(0);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'mex-messageid': id }).end(body);
      return;
    }
    store.delete(id);
    json(res, 200, { message_id: id });
  });
});

function json(res: import('node:http').ServerResponse, status: number, value: object): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

const port = Number(process.env.PORT ?? 8799);
server.listen(port, '127.0.0.1', () => process.stdout.write(`null hub on http://127.0.0.1:${port}\n`));
