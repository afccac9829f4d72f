import type { CpisSettings } from '../config/schema.js';
import type { Register } from '../register/register.js';
import type { Logger } from '../log.js';
import type { StoredMessage } from '../mailbox/message.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Directory } from '../mesh/directory.js';
import type { MessageIndex } from '../search/message-index.js';
import { ProcessingError } from './processing-error.js';

/** What the CP-IS message handlers work with. */
export interface WorkerContext {
  store: MailboxStore;
  directory: Directory;
  register: Register;
  settings: CpisSettings;
  log: Logger;
  /** Where the handlers index the NHS numbers they read, so staff can find the message by them. */
  index?: MessageIndex;
  /** Queues a message the hub put in its own mailbox (a notification order); the sweep finds it if this is lost. */
  enqueue(messageId: string, workflowId: string): Promise<void>;
}

/**
 * Indexes the NHS numbers a handler has just read, as soon as it has them: the workers
 * parse every body anyway, so this costs no second read (a plan file's numbers go in batches).
 */
export async function indexPatients(ctx: WorkerContext, message: StoredMessage, nhsNumbers: Iterable<string>): Promise<void> {
  await ctx.index?.patients(message.id, message.acceptedAt ?? message.createdAt, nhsNumbers);
}

/** The workflow the hub answers a workflow on (config checks at start that there is one). */
export function replyWorkflow(ctx: WorkerContext, workflowId: string): string {
  const reply = ctx.directory.workflow(workflowId)?.reply;
  if (!reply) throw new ProcessingError('HUB_CONFIGURATION', `workflow ${workflowId} has no reply workflow`);
  return reply;
}

const UK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today as `YYYY-MM-DD` in the UK, where the LAs date their plans: at 00:30 BST it is already tomorrow. */
export function today(now = new Date()): string {
  return UK_DATE.format(now);
}
