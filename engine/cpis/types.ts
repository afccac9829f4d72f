/**
 * The CP-IS messages and register records, described once (../shared/reference/CPIS.md).
 * Dates are ISO strings as they appear in the XML: `YYYY-MM-DD` for dates,
 * `YYYY-MM-DDThh:mm:ssZ` (or with an offset) for times.
 */
export type PlanType = 'CPP' | 'LAC' | 'UCPP';
export type PlanAction = 'upsert' | 'end' | 'delete';
/** UCPP is held against the pregnant woman; CPP and LAC against the child. */
export type SubjectRole = 'child' | 'mother';

export interface Person {
  nhsNumber: string;
  familyName: string;
  givenName: string;
  birthDate: string;
}

export interface Subject extends Person {
  role: SubjectRole;
}

export interface LocalAuthority {
  ods: string;
  name: string;
  officePhone?: string;
  emergencyPhone: string;
}

export interface Plan {
  type: PlanType;
  start: string;
  end?: string;
  /** Set on a `delete`: the record was uploaded in error, which is not the same as ended. */
  deleteDate?: string;
}

export interface PlanRecord {
  /** The LA's own id for the record. */
  localId: string;
  action: PlanAction;
  subject: Subject;
  plan: Plan;
  /** The LA's id for the file that carries the record, when its dialect names one (a national upload). */
  uploadFile?: string;
}

/** LA to hub. */
export interface PlanUpdateFile {
  sequence: number;
  created: string;
  la: LocalAuthority;
  recordCount: number;
  records: PlanRecord[];
}

/** File status codes (CPIS.md). */
export type FileStatus = 'CPF01' | 'CPF02' | 'CPF03' | 'CPF04' | 'CPF05' | 'CPF06';
/** Record codes (CPIS.md); CPR06 success, CPR07 unsuccessful with our detail code. */
export type RecordCode = 'CPR01' | 'CPR02' | 'CPR03' | 'CPR04' | 'CPR05' | 'CPR06' | 'CPR07';

export interface RecordResult {
  /** 1-based position of the record in the file. */
  position: number;
  localId: string;
  code: RecordCode;
  /** Our detail code for CPR07, e.g. INVALID_NHS_NUMBER. */
  detail?: string;
  reason?: string;
}

/** Hub to LA. `sequence` is -1 when the file could not be read. */
export interface PlanUpdateAck {
  sequence: number;
  status: FileStatus;
  recordsProcessed: number;
  reason?: string;
  results: RecordResult[];
}

/**
 * A MESH REPORT made readable: what an adapter delivers in place of the REPORT's empty body.
 * Everything but the report's id is copied from its headers where they carry it.
 */
export interface MeshReport {
  reportId: string;
  /** MESH error code: 14 not collected in time, 15 not accepted by the hub. */
  code?: string;
  description?: string;
  event?: string;
  /** When the hub reported it, `YYYY-MM-DDThh:mm:ssZ`. */
  time?: string;
  linkedMessageId?: string;
  localId?: string;
  workflowId?: string;
}

/** ECDS department type: 01 emergency department, 02 specialty, 03 other type A&E/minor injury, 04 walk-in centre. */
export type DepartmentType = '01' | '02' | '03' | '04';

export interface CareSetting {
  ods: string;
  site?: string;
  name: string;
  departmentType: DepartmentType;
}

export interface Clinician {
  name: string;
  role?: string;
  id?: string;
}

/** Trust PAS to hub. */
export interface Attendance {
  attendanceId: string;
  arrival: string;
  careSetting: CareSetting;
  patient: Person;
  viewedBy?: Clinician;
}

export interface FlaggedPlan {
  type: PlanType;
  start: string;
  end?: string;
  la: LocalAuthority;
}

/** Hub to trust: no plans means the patient is not flagged. */
export interface FlagResponse {
  attendanceId: string;
  nhsNumber: string;
  plans: FlaggedPlan[];
}

/** Hub to each LA with an open plan for the patient: one notification per LA, naming each of its open plans. */
export interface AccessNotification {
  attendanceId: string;
  subject: Person;
  /**
   * `uploadFile` (added for the national notification's `referredToLAUploadFile`): the id of
   * the LA's upload file that last set the record, when the register kept it.
   */
  plans: { type: PlanType; start: string; end?: string; localId: string; uploadFile?: string }[];
  arrival: string;
  careSetting: CareSetting;
  viewedBy?: Clinician;
}

/**
 * Hub to each LA holding records for an NHS number support staff have found superseded (the
 * hub has no PDS feed). The records stay until the LA re-uploads them under the new number.
 */
export interface InactiveNhsNumberNotice {
  nhsNumber: string;
  replacement: string;
  /** When support staff recorded it, `YYYY-MM-DDThh:mm:ssZ`. */
  at: string;
  la: { ods: string; name: string };
  /** Each record the LA holds for the old number; `uploadFile` as in AccessNotification. */
  records: { type: PlanType; localId: string; uploadFile?: string }[];
}

/** One record in the register: per NHS number, per LA and plan type. */
export interface RegisterRecord {
  nhsNumber: string;
  laOds: string;
  type: PlanType;
  localId: string;
  role: SubjectRole;
  familyName: string;
  givenName: string;
  birthDate: string;
  start: string;
  end?: string;
  /** The LA's id for the upload that last set the record, when it named one. */
  uploadFile?: string;
}

/** One view of a person's record, as the access history keeps it. */
export interface Access {
  /** The attendance or query that looked, as its organisation names it: counted once per organisation, whatever retries or replays follow. */
  attendanceId: string;
  at: string;
  careSettingOds: string;
  careSettingName: string;
  by?: string;
  /** Job role as text, and its code when the asker gave one. */
  role?: string;
  roleCode?: string;
  /** SDS user id and role profile id, when given. */
  userId?: string;
  roleProfileId?: string;
  /** ASID of a system that asked on `by`'s behalf (`by` its nominated responsible person). */
  system?: string;
}

/** Who asked at the point of care (FHIR or HL7 v3 query): the user a health system names, or a system's nominated responsible person. */
export interface Accessor extends Clinician {
  roleCode?: string;
  roleProfileId?: string;
  /** ASID of the system that asked on this person's behalf. */
  system?: string;
}

/** A visible plan as a query answers it: the plan, its LA's name and phones, and whom it is held against. */
export interface QueriedPlan extends FlaggedPlan {
  subject: Subject;
  /** The LA's own id for the record, and the upload that last set it when that upload named one. */
  localId: string;
  uploadFile?: string;
}

/** The register's answer to a query, which each API renders in its own dialect. */
export interface FlagAnswer {
  nhsNumber: string;
  /** Open plans and those ended within `endedVisibleMonths`, in record order. */
  plans: QueriedPlan[];
  /** The access history after this query: newest first, at most 25, one author's repeat views within 24 hours once. */
  accesses: Access[];
}
