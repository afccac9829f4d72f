import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { startTestHub, type TestHub } from '../support/hub.js';

const sample = parseYaml(readFileSync('config/sample.yaml', 'utf8')) as { console: Record<string, unknown> };

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** node:http sends the path exactly as given, bad %-encodings included (fetch would tidy some). */
function raw(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Whatever went wrong under /console: the console's `{code, message}`, its headers, and nothing of the request echoed. */
function expectConsoleError(answer: Raw, status: number, code: string, echo: string) {
  expect([answer.status, JSON.parse(answer.text).code]).toEqual([status, code]);
  expect(Object.keys(JSON.parse(answer.text)).sort()).toEqual(['code', 'message']);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(answer.text).not.toContain(echo);
}

describe('errors under /console, API and pages alike', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ console: sample.console, mesh: { maxRequestBytes: 10_000 } });
  });
  afterAll(() => hub.stop());
  const get = (path: string) => raw(hub.url, 'GET', path);
  const post = (path: string, body: string, type = 'application/json') => raw(hub.url, 'POST', path, body, { 'content-type': type });

  test('an id over fastify\'s parameter length, or a bad %-encoding, in the API', async () => {
    const long = `LONGID${'X'.repeat(120)}`;
    expectConsoleError(await get(`/console/api/messages/${long}`), 400, 'BAD_REQUEST', long);
    expectConsoleError(await get('/console/api/messages/BADENC%E0%A4%A'), 400, 'BAD_REQUEST', 'BADENC');
    expectConsoleError(await get('/console/api/messages/BADENC%zz'), 400, 'BAD_REQUEST', 'BADENC');
  });

  test('the same on the pages, and an unknown page or file, quoting nothing of the path', async () => {
    expectConsoleError(await get('/console/static/BADENC%zz.js'), 400, 'BAD_REQUEST', 'BADENC');
    expectConsoleError(await get(`/console/static/${'LONG'.repeat(40)}.js`), 400, 'BAD_REQUEST', 'LONGLONG');
    expectConsoleError(await get('/console/NOPAGE%3Cscript%3E'), 404, 'NOT_FOUND', 'NOPAGE');
    expectConsoleError(await get('/console/static/NOFILE.js'), 404, 'NOT_FOUND', 'NOFILE');
    expectConsoleError(await get('/%63onsole/NOPAGE'), 404, 'NOT_FOUND', 'NOPAGE');
    expectConsoleError(await raw(hub.url, 'DELETE', '/console/api/NOROUTE'), 404, 'NOT_FOUND', 'NOROUTE');
    const page = await get('/console');
    expect([page.status, page.headers['content-type'], page.headers['content-security-policy']])
      .toEqual([200, 'text/html; charset=utf-8', expect.stringContaining("default-src 'self'")]);
    expect((await get('/console/')).status).toBe(200);
  });

  test('bodies fastify refuses: not JSON, the wrong type, too large', async () => {
    expectConsoleError(await post('/console/api/login', '{"username": "ECHOED<script>'), 400, 'BAD_REQUEST', 'ECHOED');
    expectConsoleError(await post('/console/api/login', '', 'application/json'), 400, 'BAD_REQUEST', 'login');
    expectConsoleError(await post('/console/api/login', '<username>ECHOED</username>', 'application/xml'), 415, 'UNSUPPORTED_MEDIA_TYPE', 'ECHOED');
    expectConsoleError(await post('/console/api/login', JSON.stringify({ username: 'ECHOED', password: 'x'.repeat(20_000) })), 413, 'TOO_LARGE', 'ECHOED');
  });

  test('MESH paths still answer as MESH does', async () => {
    const answer = await get('/messageexchange/BADENC%zz/inbox');
    expect(answer.status).toBe(400);
    expect(answer.headers['content-security-policy']).toBeUndefined();
    expect(answer.text).toMatch(/errorEvent|errorCode/);
  });
});
