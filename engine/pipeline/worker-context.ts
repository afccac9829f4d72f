import type { CpisSettings } from '../config/schema.js';
import type { RedisRegister } from '../cpis/register/redis-register.js';
import type { Logger } from '../log.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Directory } from '../mesh/directory.js';
import { ProcessingError } from './processing-error.js';

/** What the CP-IS message handlers work with. */
export interface WorkerContext {
  store: MailboxStore;
  directory: Directory;
  register: RedisRegister;
  settings: CpisSettings;
  log: Logger;
}

/** The workflow the hub answers a workflow on (config checks at start that there is one). */
export function replyWorkflow(ctx: WorkerContext, workflowId: string): string {
  const reply = ctx.directory.workflow(workflowId)?.reply;
  if (!reply) throw new ProcessingError('HUB_CONFIGURATION', `workflow ${workflowId} has no reply workflow`);
  return reply;
}

/** Today as `YYYY-MM-DD` (UTC), the register's idea of a date. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
