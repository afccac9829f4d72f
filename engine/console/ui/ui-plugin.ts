import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consoleRefusal, sendConsoleError } from '../error-answer.js';
import { ConsoleError } from '../errors.js';

/** Only the hub's own files run or style the page; it cannot be framed, post elsewhere or load plugins. */
export const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

interface File {
  body: Buffer;
  type: string;
}

/** The few files of the pages, read once: what is served is exactly what the folder held at start-up. */
function readFiles(dir: string): Map<string, File> {
  const files = new Map<string, File>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(dir, name)), type });
  }
  return files;
}

const PAGE_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

function send(reply: FastifyReply, file: File | undefined) {
  if (!file) return sendConsoleError(reply, new ConsoleError('NOT_FOUND'));
  return reply.headers(PAGE_HEADERS).type(file.type).send(file.body);
}

/**
 * The support console's pages, mounted at /console: one HTML shell and its script and style
 * files under /console/static/. The JSON API they call is a separate plugin. Anything else
 * under /console is answered as the API answers errors.
 */
export async function consoleUiPlugin(app: FastifyInstance, options: { dir?: string } = {}): Promise<void> {
  const files = readFiles(options.dir ?? STATIC_DIR);
  app.setNotFoundHandler((_req, reply) => sendConsoleError(reply, new ConsoleError('NOT_FOUND')));
  app.setErrorHandler((err, _req, reply) => sendConsoleError(reply, consoleRefusal(err)));
  app.get('/', (_req, reply) => send(reply, files.get('index.html')));
  app.get<{ Params: { file: string } }>('/static/:file', (req, reply) => send(reply, files.get(req.params.file)));
}
