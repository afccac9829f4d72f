import type { Access, LocalAuthority, PlanRecord, RecordResult, RegisterRecord } from '../cpis/types.js';

export type RegisterErrorCode = 'CONTENDED' | 'INVALID_ACCESS_TIME';

/** `CONTENDED` is transient: the batch lost every optimistic retry; the caller retries the file later. */
export class RegisterError extends Error {
  constructor(readonly code: RegisterErrorCode, message: string) {
    super(message);
  }
}

/** What the register applies: an LA's file, named by its sequence (native) or file id (national). */
export interface Upload {
  sequence: number | string;
  records: readonly PlanRecord[];
}

/** The phones an LA gave in its latest upload that named any. */
export type LaContacts = Partial<Pick<LocalAuthority, 'officePhone' | 'emergencyPhone'>>;

/**
 * The CP-IS register: who is on a plan, held by which LA, and who looked. The rules
 * (engine/cpis/register/rules.ts) decide; an implementation reads and commits what they
 * decided, atomically per person. Dates are `YYYY-MM-DD`.
 */
export interface Register {
  /**
   * Applies an LA's file, exactly once per (LA, sequence, records, position): positions
   * already applied (an earlier attempt, a replay, a resend of the same records, another
   * process) answer with their stored result. A different file under a sequence already
   * used is applied as its own upload.
   */
  applyPlanUpdate(laOds: string, upload: Upload, today: string): Promise<RecordResult[]>;
  /** The records visible for this NHS number today, in record id order. */
  lookup(nhsNumber: string, today: string, endedVisibleMonths?: number): Promise<RegisterRecord[]>;
  /**
   * Every record held for this NHS number, whatever its visibility, per LA (ODS code to its
   * records in record id order): who must hear when the number is superseded.
   */
  heldBy(nhsNumber: string): Promise<Map<string, RegisterRecord[]>>;
  /**
   * Returns true when the access entered the history; false for a retry or replay of the
   * same attendance or query (its id, from the same organisation), a repeat view by the same author (care setting and name) within 24
   * hours, or an access older than the 25 kept. INVALID_ACCESS_TIME when `at` is no date-time.
   */
  recordAccess(nhsNumber: string, access: Access): Promise<boolean>;
  /** The kept accesses, newest first. */
  accesses(nhsNumber: string): Promise<Access[]>;
  /** Keeps the contact numbers an LA's upload carried, replacing those of an earlier upload (none given: nothing changes). */
  setContacts(laOds: string, contacts: LaContacts): Promise<void>;
  /** The numbers the LA last uploaded, if it ever did (an implementation may answer from a read a few seconds old). */
  contacts(laOds: string): Promise<LaContacts | undefined>;
}
