import { z } from 'zod';
import { ConsoleError } from './errors.js';

/** The shapes of what the API accepts; anything else is a BAD_REQUEST naming the field. */

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date and time').transform((s) => new Date(s));
const text = z.string().trim().min(1).max(200);
const page = (max: number) => ({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(max).default(50),
});

export const failedFilter = z.object({
  workflow: text.optional(),
  sender: text.optional(),
  recipient: text.optional(),
  reason: text.optional(),
  from: instant.optional(),
  to: instant.optional(),
  q: text.optional(),
  sort: z.enum(['failedAt', 'receivedAt']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  ...page(500),
}).strict();

export const auditQuery = z.object({
  user: text.optional(),
  action: text.optional(),
  messageId: text.optional(),
  from: instant.optional(),
  to: instant.optional(),
  ...page(500),
}).strict();

export const login = z.object({ username: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(1024) }).strict();
export const discard = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();
export const edit = z.object({ xml: z.string().min(1) }).strict();
/** The numbers as given (spaces and dashes, as people write them, taken out); whether they are NHS numbers is the operation's to say. */
const nhsNumber = z.string().max(20).transform((s) => s.replace(/[\s-]/g, ''));
export const superseded = z.object({ old: nhsNumber, new: nhsNumber }).strict();
/** The query audit reads back at most 1,000 entries at a time (QueryAudit.list). */
export const queriesFilter = z.object({
  client: text.optional(),
  nhsNumber: nhsNumber.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
}).strict();
/** A search of delivered and acknowledged messages; `cursor` is the previous page's `next`. */
export const messageSearch = z.object({
  messageId: text.optional(),
  localId: text.optional(),
  nhsNumber: nhsNumber.optional(),
  workflow: text.optional(),
  from: text.optional(),
  to: text.optional(),
  since: instant.optional(),
  until: instant.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
}).strict();

/** Where an inbox listing goes on from: the last id of the page before. */
export const inboxPage = z.object({
  after: text.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
}).strict();
export const bulkReplay = z.object({ filter: failedFilter.omit({ offset: true, limit: true, sort: true, order: true }).default({}), confirm: z.string() }).strict();

export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new ConsoleError('BAD_REQUEST', issues.join('; '), issues);
}
