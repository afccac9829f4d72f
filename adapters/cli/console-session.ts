import type { Command } from 'commander';
import { CONSOLE_ERRORS, type ConsoleErrorCode } from '../../engine/console/errors.js';
import { CliError, usageError } from './cli-error.js';
import { fetchHub } from './hub-fetch.js';
import { forgetCookie, keepCookie, keptCookie } from './kept-session.js';
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

interface SessionAnswer {
  username: string;
  csrfToken: string;
}

/**
 * A staff session on the console API, the CLI's only way in: the same sign-in, roles,
 * CSRF token and audit as the web pages. One session serves the commands that follow
 * (kept-session.ts), so a sign-in is audited once per session rather than per command;
 * `cpisx logout` ends it, or the hub's idle timeout.
 */
export class ConsoleSession {
  private constructor(private readonly hub: string, private readonly cookie: string, private readonly csrfToken: string) {}

  /** The kept session while the hub still takes it; otherwise a sign-in, kept for the next command. */
  static async open(options: HubOptions): Promise<ConsoleSession> {
    const { hub, username } = whereAndWho(options);
    const kept = await ConsoleSession.resume(hub, username);
    if (kept) return kept;
    const password = process.env.CPISX_PASSWORD ?? (await askPassword(username, hub));
    const res = await call(hub, 'POST', '/login', { body: { username, password } });
    const { csrfToken } = (await answer(res)) as SessionAnswer;
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new CliError('BAD_ANSWER', `${hub} signed you in without a session cookie`);
    await keepCookie(hub, username, cookie).catch((err: Error) => process.stderr.write(`cpisx: the session could not be kept for the next command: ${err.message}\n`));
    return new ConsoleSession(hub, cookie, csrfToken);
  }

  /** The kept session, if there is one and the hub still takes it (which restarts its idle time). */
  static async resume(hub: string, username: string): Promise<ConsoleSession | undefined> {
    const cookie = await keptCookie(hub, username);
    if (!cookie) return undefined;
    const res = await call(hub, 'GET', '/session', { cookie });
    if (res.status === 401) {
      await forgetCookie(hub, username);
      return undefined;
    }
    const session = (await answer(res)) as SessionAnswer;
    return session.username === username ? new ConsoleSession(hub, cookie, session.csrfToken) : undefined;
  }

  async get<T>(path: string, query: Query = {}): Promise<T> {
    const qs = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();
    return (await answer(await this.call('GET', qs ? `${path}?${qs}` : path))) as T;
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await answer(await this.call('POST', path, body))) as T;
  }

  /** Ends the session at the hub (audited there) and forgets it here. */
  async close(username: string): Promise<void> {
    await answer(await this.call('POST', '/logout'));
    await forgetCookie(this.hub, username);
  }

  private call(method: string, path: string, body?: unknown): Promise<Response> {
    return call(this.hub, method, path, { body, cookie: this.cookie, csrfToken: method === 'POST' ? this.csrfToken : undefined });
  }
}

/** The hub, without a trailing slash, and the username, or a usage error. */
export function whereAndWho(options: HubOptions): { hub: string; username: string } {
  const hub = (options.hub ?? process.env.CPISX_HUB ?? DEFAULT_HUB).replace(/\/+$/, '');
  // Lowercased as the hub does at sign-in, so `--user Admin` finds admin's kept session.
  const username = (options.user ?? process.env.CPISX_USER)?.trim().toLowerCase();
  if (!username) throw usageError('say who you are: --user NAME or CPISX_USER');
  return { hub, username };
}

/** Runs the work in the user's session; the session stays open for the next command. */
export async function withSession<T>(options: HubOptions, work: (session: ConsoleSession) => Promise<T>): Promise<T> {
  return work(await ConsoleSession.open(options));
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
