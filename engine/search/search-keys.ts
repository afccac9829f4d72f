/** A field a message is found by, each with a sorted set of message ids scored by acceptance time. */
export type IndexedField = 'workflow' | 'from' | 'to' | 'localId' | 'nhsNumber';

/**
 * The search indexes' keys. All carry the `{search}` hash tag, so every multi-key command
 * (a pipeline of ZADDs, ZMSCOREs across fields) stays in one Redis Cluster slot.
 */
export class SearchKeys {
  constructor(readonly prefix = 'cpisx:') {}

  private get slot(): string { return `${this.prefix}{search}`; }

  /** Every indexed message, by acceptance time: the set a search with no field walks. */
  all(): string { return `${this.slot}:all`; }
  field(field: IndexedField, value: string): string { return `${this.slot}:${field}:${value}`; }
  /** The field sets shared by many messages (workflow, sender, recipient), which the prune trims. */
  shared(): string { return `${this.slot}:shared`; }
  /** Messages held as failed, by failure time, and what the failed-message filter reads of each. */
  failedAt(): string { return `${this.slot}:failed:at`; }
  failedSummary(): string { return `${this.slot}:failed:summary`; }
}

/** Workflow, sender and recipient are few and shared; local ids and NHS numbers name one or few messages each. */
export const SHARED_FIELDS: readonly IndexedField[] = ['workflow', 'from', 'to'];
