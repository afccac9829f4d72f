import type { FastifyReply, FastifyRequest } from 'fastify';
import { allows, type Account, type Accounts, type Role } from './accounts.js';
import { ConsoleError } from './errors.js';
import { csrfMatches, type Session, type Sessions } from './sessions.js';

export const SESSION_COOKIE = 'cpisx_session';
const COOKIE_PATH = '/console';

export interface Caller {
  account: Account;
  session: Session;
}

/**
 * Who is calling and whether they may: the session cookie, the CSRF header on every
 * change, the role. Each check throws the ConsoleError the API answers with.
 */
export class Gate {
  constructor(private readonly accounts: Accounts, private readonly sessions: Sessions, private readonly secureCookies: boolean) {}

  async identify(req: FastifyRequest): Promise<Caller> {
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = id ? await this.sessions.touch(id) : undefined;
    const account = session && this.accounts.find(session.username);
    if (!session || !account) throw new ConsoleError('UNAUTHENTICATED');
    return { account, session };
  }

  /** A page on another site cannot read the token, so it cannot make a change in a staff member's name. */
  checkCsrf(caller: Caller, req: FastifyRequest): void {
    const header = req.headers['x-csrf-token'];
    if (!csrfMatches(caller.session, typeof header === 'string' ? header : undefined)) throw new ConsoleError('CSRF');
  }

  checkRole(caller: Caller, needed: Role): void {
    if (!allows(caller.account.role, needed)) throw new ConsoleError('FORBIDDEN', `this needs the ${needed} role; you are ${caller.account.role}`);
  }

  setCookie(reply: FastifyReply, sessionId: string): void {
    reply.header('set-cookie', `${SESSION_COOKIE}=${sessionId}; ${this.attributes()}`);
  }

  clearCookie(reply: FastifyReply): void {
    reply.header('set-cookie', `${SESSION_COOKIE}=; Max-Age=0; ${this.attributes()}`);
  }

  private attributes(): string {
    return `Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict${this.secureCookies ? '; Secure' : ''}`;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
