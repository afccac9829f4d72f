import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConsoleContext } from './context.js';
import { ConsoleError } from './errors.js';
import { guarded, type Params } from './guarded.js';

/** Sign-in names are compared lowercased, as at sign-in. */
const username = (req: FastifyRequest) => (req.params as Params).username.trim().toLowerCase();

/** The admin's means of trusting the console: check the audit chain, lift a lockout. */
export async function adminRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  app.get('/audit/verify', guarded(ctx.gate, ctx.audit, {
    role: 'admin',
    run: async () => ({ body: await ctx.audit.verify() }),
  }));

  app.post('/accounts/:username/unlock', guarded(ctx.gate, ctx.audit, {
    role: 'admin',
    audit: { action: 'unlock', detail: (req) => `account ${username(req)}` },
    run: async (req) => {
      const name = username(req);
      if (!ctx.accounts.find(name)) throw new ConsoleError('NOT_FOUND', `no staff account ${name}`);
      const wasLocked = await ctx.lockout.unlock(name);
      return { body: { username: name, wasLocked }, detail: `account ${name}${wasLocked ? ' (was locked)' : ' (was not locked)'}` };
    },
  }));
}
