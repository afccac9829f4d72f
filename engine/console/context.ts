import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConsoleSettings, CpisSettings } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Directory } from '../mesh/directory.js';
import type { BulkReplays } from '../operations/bulk-replay.js';
import type { EditReplay } from '../operations/edit-replay.js';
import type { FailedMessages } from '../operations/failed-messages.js';
import type { Arrivals } from '../pipeline/arrivals.js';
import type { ArrivalJob, QueueKind } from '../pipeline/queues.js';
import type { QueryAudit } from '../query/query-audit.js';
import type { Register } from '../register/register.js';
import type { Accounts } from './accounts.js';
import type { AuditLog } from './audit.js';
import type { Gate } from './gate.js';
import type { Lockout } from './lockout.js';
import type { MessageViews } from './message-view.js';
import type { MessageSearch } from '../search/message-search.js';
import type { Sessions } from './sessions.js';

/** What the hub hands the console API. */
export interface ConsoleApiOptions {
  settings: ConsoleSettings;
  redis: Redis;
  keyPrefix: string;
  store: MailboxStore;
  directory: Directory;
  /** Cookies are marked Secure when the hub serves TLS. */
  secureCookies: boolean;
  log: Logger;
  /** Delivered and acknowledged messages, found through the index kept as they arrive. */
  search: MessageSearch;
  /** The CP-IS workers' parts; without them the failed-message routes are not served. */
  cpis?: CpisParts;
}

export interface CpisParts {
  settings: CpisSettings;
  queues: Record<QueueKind, Queue<ArrivalJob>>;
  failed: FailedMessages;
  arrivals: Arrivals;
  register: Register;
}

/** The console's parts, built once per hub from the options. */
export interface ConsoleContext extends ConsoleApiOptions {
  accounts: Accounts;
  sessions: Sessions;
  lockout: Lockout;
  audit: AuditLog;
  gate: Gate;
  views: MessageViews;
  /** The point-of-care query audit, read only. */
  queries: QueryAudit;
  operations?: { bulk: BulkReplays; edits: EditReplay } & CpisParts;
}
