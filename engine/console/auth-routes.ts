import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEvent } from './audit.js';
import type { ConsoleContext } from './context.js';
import { ConsoleError, lockedOut } from './errors.js';
import { guarded } from './guarded.js';
import { login, parse } from './requests.js';

/** Sign in (with lockout), who am I, sign out. */
export async function authRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  const { gate, audit, sessions } = ctx;

  app.post('/login', async (req, reply) => {
    const { username, password } = parse(login, req.body);
    const refuse = async (error: ConsoleError) => {
      await audit.append(loginEvent(req, username, error.code));
      return error;
    };
    // Counted before the password is checked, so guesses sent at once are counted too and guessing on gains nothing.
    const admission = await ctx.lockout.attempt(username);
    if (!admission.admitted) throw await refuse(lockedOut(admission.lockedUntil));
    const account = await ctx.accounts.authenticate(username, password);
    if (!account) throw await refuse(new ConsoleError('BAD_CREDENTIALS'));
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
