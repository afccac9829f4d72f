/** The CP-IS codes the hub sends, with their display texts exactly as the national schemas enumerate them. */
import type { FileStatus, PlanType, RecordCode } from '../types.js';

export const FILE_STATUS_DISPLAY: Record<FileStatus, string> = {
  CPF01: 'File Level Error',
  CPF02: 'Successful File Upload',
  CPF03: 'Partial File Upload',
  CPF04: 'Unsuccessful File Upload',
  CPF05: 'PDS Error - PDS Unavailable',
  CPF06: 'Spine ii rejected the request because this version of the CPIS Client is no longer supported',
};

/**
 * CPR07 keeps the national vocabulary schema's spelling ("Unsucessful"): systems were built
 * and tested against that file. The hub has no PDS, so it never sends CPR01 to CPR03 or CPR05.
 */
export const RECORD_CODE_DISPLAY: Record<RecordCode, string> = {
  CPR01: 'PDS Error - No Match Found for NHS Number',
  CPR02: 'PDS Error - NHS Number Matched, but Sensitive Record',
  CPR03: 'PDS Error - NHS Number not Verified',
  CPR04: 'PDS Error - NHS Number Format Incorrect',
  CPR05: 'PDS Error - NHS Number Verified, but Superseded',
  CPR06: 'Successful Record Upload',
  CPR07: 'Unsucessful Record Upload',
};

/** The DMS's names for the plan types: our UCPP is its UCP. */
export type DmsPlanType = 'LAC' | 'CPP' | 'UCP';

export const PLAN_TYPE: Record<DmsPlanType, PlanType> = { LAC: 'LAC', CPP: 'CPP', UCP: 'UCPP' };

/** Upload templates (also echoed in the acknowledgement), and the prefix of their date elements. */
export const UPLOAD_TEMPLATE: Record<DmsPlanType, PlanTemplate> = {
  LAC: { template: 'COCT_TP146100GB01#LACInformation', element: 'COCT_TP146100GB01.LACInformation', dates: 'lAC' },
  CPP: { template: 'COCT_TP146101GB01#CPPInformation', element: 'COCT_TP146101GB01.CPPInformation', dates: 'cPP' },
  UCP: { template: 'COCT_TP146102GB01#UCPInformation', element: 'COCT_TP146102GB01.UCPInformation', dates: 'uCP' },
};

/** A plan template: its content id, its element, and the prefix of its date elements. */
export interface PlanTemplate {
  template: string;
  element: string;
  dates: string;
}

/** Response templates (the query response): start and end dates, no delete date. */
export const RESPONSE_TEMPLATE: Record<PlanType, PlanTemplate> = {
  LAC: { template: 'COCT_TP146103GB01#LACInformation', element: 'COCT_TP146103GB01.LACInformation', dates: 'lAC' },
  UCPP: { template: 'COCT_TP146104GB01#UCPInformation', element: 'COCT_TP146104GB01.UCPInformation', dates: 'uCP' },
  CPP: { template: 'COCT_TP146105GB01#CPPInformation', element: 'COCT_TP146105GB01.CPPInformation', dates: 'cPP' },
};

export const SUBJECT_TEMPLATE = {
  child: { template: 'COCT_TP145101GB01#Child', element: 'COCT_TP145101GB01.Child' },
  unborn: { template: 'COCT_TP145100GB01#UnbornChild', element: 'COCT_TP145100GB01.UnbornChild' },
} as const;

export const AUTHOR_TEMPLATE = {
  person: { template: 'COCT_TP145102GB01#AssignedAuthor', element: 'COCT_TP145102GB01.AssignedAuthor' },
  system: { template: 'COCT_TP145104GB01#System', element: 'COCT_TP145104GB01.System' },
} as const;

export const RECIPIENT_TEMPLATE = {
  template: 'COCT_TP145103GB01#IntendedRecipient',
  element: 'COCT_TP145103GB01.IntendedRecipient',
} as const;
