import type { FastifyInstance } from 'fastify';
import { checkNhsNumber } from '../cpis/nhs-number.js';
import type { MessageQuery, SearchPage } from '../search/message-search.js';
import type { ConsoleContext } from './context.js';
import { ConsoleError } from './errors.js';
import { guarded } from './guarded.js';
import { maskNhsNumber } from './masking.js';
import { searchesNhsNumber, searchGiven } from './query-listing.js';
import { messageSearch, parse } from './requests.js';

/**
 * `GET /messages`: delivered, acknowledged and waiting messages found through the search
 * index, newest first, within content retention. A search by NHS number names a patient,
 * so it is audited (a refused one too), and the number comes back masked.
 */
export async function searchRoutes(app: FastifyInstance, ctx: ConsoleContext): Promise<void> {
  app.get('/messages', guarded(ctx.gate, ctx.audit, {
    role: 'viewer',
    audit: { action: 'messages-by-nhs-number', when: searchesNhsNumber, detail: searchGiven },
    run: async (req) => ({ body: await searchMessages(ctx, parse(messageSearch, req.query)) }),
  }));
}

type SearchRequest = ReturnType<typeof messageSearch.parse>;

async function searchMessages(ctx: ConsoleContext, request: SearchRequest): Promise<SearchPage & { nhsNumber?: string }> {
  if (request.nhsNumber !== undefined) {
    // A mistyped number would find nothing and read as "no such message"; refuse it instead.
    const check = checkNhsNumber(request.nhsNumber);
    if (!check.valid) throw new ConsoleError('INVALID_NHS_NUMBER', check.reason);
  }
  if (request.since && request.until && request.since > request.until) throw new ConsoleError('BAD_REQUEST', 'since is after until');
  const { since, until, from, to, ...rest } = request;
  const query: MessageQuery = {
    ...rest, from: from?.toUpperCase(), to: to?.toUpperCase(), since: since?.getTime(), until: until?.getTime(),
  };
  const page = await ctx.search.search(query);
  return { ...page, ...(request.nhsNumber ? { nhsNumber: maskNhsNumber(request.nhsNumber) } : {}) };
}
