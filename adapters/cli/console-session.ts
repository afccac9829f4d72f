import type { Command } from 'commander';
import { CONSOLE_ERRORS, type ConsoleErrorCode } from '../../engine/console/errors.js';
import { CliError, usageError } from './cli-error.js';
import { fetchHub } from './hub-fetch.js';
import { interactive, readSecret } from './prompt.js';

export const DEFAULT_HUB = 'http://127.0.0.1:8700';
const API = '/console/api';

/** Where and as whom: `--hub`/`CPISX_HUB`, `--user`/`CPISX_USER`; the password from `CPISX_PASSWORD` or asked for. */
export interface HubOptions {
  hub?: string;
  user?: string;
}

export type Query = Record<string, string | number | undefined>;

/** Adds `--hub` and `--user` to a command that works through the console API. */
export function withHubOptions(command: Command): Command {
  return command
    .option('--hub <url>', `the hub (default: CPISX_HUB or ${DEFAULT_HUB})`)
    .option('--user <name>', 'your staff account (default: CPISX_USER)');
}

/**
 * One run's staff session on the console API, the CLI's only way in: the same
 * sign-in, roles, CSRF token and audit as the web pages.
 */
export class ConsoleSession {
  private constructor(private readonly hub: string, private readonly cookie: string, private readonly csrfToken: string) {}

  static async open(options: HubOptions): Promise<ConsoleSession> {
    const hub = (options.hub ?? process.env.CPISX_HUB ?? DEFAULT_HUB).replace(/\/+$/, '');
    const username = options.user ?? process.env.CPISX_USER;
    if (!username) throw usageError('say who you are: --user NAME or CPISX_USER');
    const password = process.env.CPISX_PASSWORD ?? (await askPassword(username, hub));
    const res = await call(hub, 'POST', '/login', { body: { username, password } });
    const { csrfToken } = (await answer(res)) as { csrfToken: string };
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new CliError('BAD_ANSWER', `${hub} signed you in without a session cookie`);
    return new ConsoleSession(hub, cookie, csrfToken);
  }

  async get<T>(path: string, query: Query = {}): Promise<T> {
    const qs = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();
    return (await answer(await this.call('GET', qs ? `${path}?${qs}` : path))) as T;
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await answer(await this.call('POST', path, body))) as T;
  }

  /** Ends the session at once rather than leaving it to expire. */
  async close(): Promise<void> {
    await answer(await this.call('POST', '/logout'));
  }

  private call(method: string, path: string, body?: unknown): Promise<Response> {
    return call(this.hub, method, path, { body, cookie: this.cookie, csrfToken: method === 'POST' ? this.csrfToken : undefined });
  }
}

/**
 * Runs the work in a session, signing out after it whether it worked or not. A sign-out
 * that fails is not reported: the work's outcome is what counts (a script must not retry
 * a replay that was done), and the session expires on its own.
 */
export async function withSession<T>(options: HubOptions, work: (session: ConsoleSession) => Promise<T>): Promise<T> {
  const session = await ConsoleSession.open(options);
  try {
    return await work(session);
  } finally {
    await session.close().catch(() => undefined);
  }
}

async function askPassword(username: string, hub: string): Promise<string> {
  if (!interactive()) throw usageError('no password: set CPISX_PASSWORD, or run on a terminal to be asked');
  return readSecret(`password for ${username} at ${hub}: `);
}

function call(hub: string, method: string, path: string, extra: { body?: unknown; cookie?: string; csrfToken?: string }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (extra.cookie) headers.cookie = extra.cookie;
  if (extra.csrfToken) headers['x-csrf-token'] = extra.csrfToken;
  if (extra.body !== undefined) headers['content-type'] = 'application/json';
  return fetchHub(hub, `${API}${path}`, { method, headers, body: extra.body === undefined ? undefined : JSON.stringify(extra.body) });
}

/** The answer's JSON, or its `{code, message}` as a CliError; the API's BAD_REQUEST is a usage error. */
async function answer(res: Response): Promise<unknown> {
  const text = await res.text();
  const body = parseJson(text);
  if (res.ok && (body !== undefined || !text)) return body;
  const { code, message } = (body ?? {}) as { code?: string; message?: string };
  if (!code || !(code in CONSOLE_ERRORS) || typeof message !== 'string') {
    throw new CliError('BAD_ANSWER', `the hub answered ${res.status} that is not the console API's; is the console configured there?`);
  }
  throw new CliError(code as ConsoleErrorCode, message, code === 'BAD_REQUEST' ? 2 : 1);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
