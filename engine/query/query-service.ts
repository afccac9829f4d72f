import type { Accessor, CareSetting, FlagAnswer, QueriedPlan } from '../cpis/types.js';
import { newMessageId } from '../mailbox/message-id.js';
import { recordView, visiblePlans, type FlagContext } from '../pipeline/flag.js';
import { today } from '../pipeline/worker-context.js';
import type { QueryApi, QueryAudit, QueryAuditEntry } from './query-audit.js';
import type { QueryMessages } from './query-messages.js';

/** Who asks, once the route has authenticated the client: its id and the care setting it speaks for. */
export interface Asker {
  clientId: string;
  careSetting: CareSetting;
}

/** A query as a route has read it, in either dialect. */
export interface AskedQuery {
  api: QueryApi;
  asker: Asker;
  /**
   * The client's id for the query, when it gave one: X-Request-ID, or the HL7 v3 query id. Not
   * TraceID: that correlates a session's calls, and a reused one would make later looks retries.
   */
  queryId?: string;
  nhsNumber: string;
  viewedBy: Accessor;
  unscheduled: boolean;
  shows: Shown;
}

/**
 * What an answer shows. Showing the plans (CareTeam, HL7 v3) is a look at them, kept and told
 * when unscheduled. Showing only the history (AuditEvent) is not: NHS England's sequence for that
 * search writes nothing, and a client following the IG asks it right after CareTeam, so a record
 * there would tell each LA twice of one look.
 */
export interface Shown {
  plans: boolean;
  history: boolean;
}

export interface QueryDeps {
  flag: FlagContext;
  messages: QueryMessages;
  audit: QueryAudit;
  /** Runs writes and, with `redis.replicaAcks`, waits for the replicas to hold them (engine/redis/replicas.ts). */
  durably: <T>(writes: () => Promise<T>) => Promise<T>;
}

/**
 * The synchronous CP-IS query: the same lookup and the same recorded view as an
 * attendance (engine/pipeline/flag.ts). An unscheduled query that shows a person's plans is
 * kept in their history and each LA with an open plan is told through the pipeline, once per
 * query id; a scheduled one (a silent read), or one showing only the history, records and
 * tells nothing. Every query is audited.
 */
export class QueryService {
  constructor(private readonly deps: QueryDeps) {}

  async ask(query: AskedQuery): Promise<FlagAnswer> {
    const { flag } = this.deps;
    // The hub's clock, not the asker's: the history orders views as the hub saw them.
    const at = new Date().toISOString();
    const day = today();
    const looks = query.unscheduled && query.shows.plans;
    // Asked beside the lookup (one round trip for both), though only a look at a flagged person uses it.
    const [plans, messageId] = await Promise.all([visiblePlans(flag, query.nhsNumber, day), looks ? this.messageId(query) : undefined]);
    const recorded = plans.length > 0 ? messageId : undefined;
    const view = recorded ? this.keep(query, recorded, at, plans, day) : Promise.resolve();
    const returned = { plans: query.shows.plans ? plans.length : undefined, messageId: recorded };
    if (!query.shows.history) {
      // A CareTeam answer needs nothing back from the writes, so its audit goes beside them.
      await Promise.all([view, this.audit(query, 'ok', returned)]);
      return { nhsNumber: query.nhsNumber, plans, accesses: [] };
    }
    await view;
    // No visible plan, no record: its history is not shown either.
    const accesses = plans.length > 0 ? await flag.register.accesses(query.nhsNumber) : [];
    await this.audit(query, 'ok', { ...returned, accesses: accesses.length });
    return { nhsNumber: query.nhsNumber, plans, accesses };
  }

  /**
   * The view kept and each LA's notification ordered, answered as kept: with replica
   * acknowledgements on, a failover cannot take it back. A failure is audited too, after
   * any `ok` entry written beside it.
   */
  private async keep(query: AskedQuery, sourceId: string, at: string, plans: QueriedPlan[], day: string): Promise<void> {
    const view = { sourceId, accessId: query.queryId ?? sourceId, nhsNumber: query.nhsNumber, at, careSetting: query.asker.careSetting, viewedBy: query.viewedBy };
    try {
      await this.deps.durably(() => recordView(this.deps.flag, view, plans, day));
    } catch (err) {
      await this.audit(query, 'FAILED', { plans: plans.length, messageId: sourceId });
      throw err;
    }
  }

  /** A query without an id of its own is one attempt: nothing can retry it as the same query. */
  private async messageId(query: AskedQuery): Promise<string> {
    return query.queryId === undefined ? newMessageId() : this.deps.messages.idFor(query.asker.clientId, query.queryId, query.nhsNumber);
  }

  /**
   * A query refused after its client was known: audited with the code the API answered;
   * with `oncePerMs`, once per client and code within that window (a rate limit's refusals).
   */
  async refused(query: Partial<AskedQuery> & Pick<AskedQuery, 'api' | 'asker'>, code: string, oncePerMs?: number): Promise<void> {
    const entry = this.entry(query, code, {});
    if (oncePerMs === undefined) await this.deps.audit.record(entry);
    else await this.deps.audit.recordOncePer(`${query.asker.clientId}:${code}`, oncePerMs, entry);
  }

  private async audit(query: Partial<AskedQuery> & Pick<AskedQuery, 'api' | 'asker'>, outcome: string, counts: { plans?: number; accesses?: number; messageId?: string }): Promise<void> {
    await this.deps.audit.record(this.entry(query, outcome, counts));
  }

  private entry(query: Partial<AskedQuery> & Pick<AskedQuery, 'api' | 'asker'>, outcome: string, counts: { plans?: number; accesses?: number; messageId?: string }): QueryAuditEntry {
    return {
      at: new Date().toISOString(),
      api: query.api,
      client: query.asker.clientId,
      organisation: query.asker.careSetting.ods,
      user: query.viewedBy?.name,
      userId: query.viewedBy?.id,
      roleProfileId: query.viewedBy?.roleProfileId,
      queryId: query.queryId,
      nhsNumber: query.nhsNumber,
      unscheduled: query.unscheduled,
      outcome,
      ...counts,
    };
  }
}
