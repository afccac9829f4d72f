import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEvent } from './audit.js';
import type { ConsoleContext } from './context.js';
import { ConsoleError } from './errors.js';
import { guarded } from './guarded.js';
import { login, parse } from './requests.js';

/** Sign in (with lockout), who am I, sign out. */
export async function authRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const { gate, audit, sessions } = ctx;

  app.post('/login', async (req, reply) => {
    const { username, password } = parse(login, req.body);
    const refuse = async (outcome: 'LOCKED_OUT' | 'BAD_CREDENTIALS') => {
      await audit.append(loginEvent(req, username, outcome));
      return new ConsoleError(outcome);
    };
    // A locked username is refused before its password is checked, so guessing on gains nothing.
    if (await ctx.lockout.locked(username)) throw await refuse('LOCKED_OUT');
    const account = await ctx.accounts.authenticate(username, password);
    if (!account) {
      await ctx.lockout.failed(username);
      throw await refuse('BAD_CREDENTIALS');
    }
    await ctx.lockout.succeeded(username);
    const session = await sessions.create(account.username);
    await audit.append(loginEvent(req, username, 'ok'));
    gate.setCookie(reply, session.id);
    return { username: account.username, role: account.role, csrfToken: session.csrfToken };
  });

  app.get('/session', guarded(gate, audit, {
    role: 'viewer',
    run: async (_req, { account, session }) => ({ body: { username: account.username, role: account.role, csrfToken: session.csrfToken } }),
  }));

  app.post('/logout', guarded(gate, audit, {
    role: 'viewer',
    audit: { action: 'logout' },
    run: async (_req, { session }, reply) => {
      await sessions.destroy(session.id);
      gate.clearCookie(reply);
      return { status: 204 };
    },
  }));
}

function loginEvent(req: FastifyRequest, username: string, outcome: AuditEvent['outcome']): AuditEvent {
  return { at: new Date().toISOString(), user: username, ip: req.ip, action: 'login', messageIds: [], outcome };
}
