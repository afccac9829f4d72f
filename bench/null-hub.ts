import { createServer } from 'node:http';

/**
 * The least a server can do for `npm run bench`'s three calls (and `npm run bench:ha`'s inbox list) and for a FHIR search
 * (`npm run bench:query`): no authentication, no Redis, no logs, messages kept in a Map, one
 * canned CareTeam Bundle. Run a benchmark against it to see what the machine and the
 * benchmark client alone allow, before reading the hub's figures:
 *   npx tsx bench/null-hub.ts &   npm run bench -- --url http://127.0.0.1:8799
 * PORT=0 takes a port the OS picks; started with an IPC channel it reports its URL there.
 */
const store = new Map<string, { to: string; body: Buffer }>();
let sent = 0;

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (d: Buffer) => parts.push(d));
  req.on('end', () => {
    const path = (req.url ?? '').split('?')[0].split('/');
    if (req.method === 'POST' && path[2] === 'oauth2') return json(res, 200, { access_token: 'null', token_type: 'bearer', expires_in: 900 });
    if (req.method === 'GET' && path[1] === 'cpis') return json(res, 200, CARE_TEAMS, 'application/fhir+json; charset=utf-8');
    if (req.method === 'POST') {
      const id = `NULL${++sent}`;
      store.set(id, { to: String(req.headers['mex-to']), body: Buffer.concat(parts) });
      return json(res, 202, { message_id: id });
    }
    const id = path[4];
    if (req.method === 'GET' && id === undefined) {
      // Only acknowledged messages leave the Map, so it holds what the clients have in flight: a short walk.
      return json(res, 200, { messages: [...store].filter(([, m]) => m.to === path[2]).map(([key]) => key) });
    }
    if (req.method === 'GET') {
      const body = store.get(id)?.body ?? Buffer.alloc(0);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'mex-messageid': id }).end(body);
      return;
    }
    store.delete(id);
    json(res, 200, { message_id: id });
  });
});

/** The shape and about the size of the hub's answer for a child on one plan (no real data). */
const CARE_TEAMS = {
  resourceType: 'Bundle', id: '00000000-0000-4000-8000-000000000000', type: 'searchset', total: 1,
  link: [{ relation: 'self', url: 'http://127.0.0.1/cpis/FHIR/R4/CareTeam?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9990000000' }],
  entry: [{
    fullUrl: 'http://127.0.0.1/cpis/FHIR/R4/CareTeam/00000000-0000-4000-8000-000000000001',
    resource: {
      resourceType: 'CareTeam', id: '00000000-0000-4000-8000-000000000001', status: 'active',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '764841000000100', display: 'Child Protection Plan' }] }],
      name: 'A local authority children\'s social care',
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000000' } },
      period: { start: '2025-01-01' },
      managingOrganization: [{ identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: '000' }, display: 'A local authority' }],
      telecom: [{ system: 'phone', use: 'work', value: '0100 000 0000' }, { system: 'phone', use: 'mobile', value: '0100 000 0001' }],
    },
    search: { mode: 'match' },
  }],
};

function json(res: import('node:http').ServerResponse, status: number, value: object, type = 'application/json'): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
}

server.listen(Number(process.env.PORT ?? 8799), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  process.stdout.write(`null hub on ${url}\n`);
  process.send?.({ url });
  // Started by a benchmark: never outlive it.
  process.once('disconnect', () => process.exit(0));
});
