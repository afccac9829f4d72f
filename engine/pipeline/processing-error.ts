import { oneLine, type XmlError } from '../cpis/xml/result.js';
import { RegisterError, type RegisterErrorCode } from '../register/register.js';

/**
 * Why processing a message failed. Permanent errors fail the job at once (retrying
 * cannot help until a person changes something); anything else is transient and
 * retried with backoff. Where the fault is the sender's, the sender is told; where
 * it is the hub's (its configuration), the message waits for staff.
 */
export const PROCESSING_ERRORS = {
  NOT_READABLE: { permanent: true, senderFault: true, description: 'the file is not readable XML of the expected kind' },
  SCHEMA_INVALID: { permanent: true, senderFault: true, description: 'the file does not match its schema' },
  INVALID_CONTENT: { permanent: true, senderFault: true, description: 'the file breaks a CP-IS rule' },
  TOO_LARGE: { permanent: true, senderFault: true, description: "the file is over its workflow's size limit" },
  WRONG_SENDER: { permanent: true, senderFault: true, description: 'the sending mailbox does not belong to the organisation the file names' },
  UNKNOWN_WORKFLOW: { permanent: true, senderFault: false, description: 'the hub has no worker for this workflow' },
  HUB_CONFIGURATION: { permanent: true, senderFault: false, description: 'the hub configuration cannot deliver the replies' },
  CONTENT_MISSING: { permanent: true, senderFault: false, description: 'the message content is no longer stored' },
  TRANSIENT: { permanent: false, senderFault: false, description: 'a temporary fault' },
} as const;

export type ProcessingErrorCode = keyof typeof PROCESSING_ERRORS;

export class ProcessingError extends Error {
  readonly permanent: boolean;
  readonly senderFault: boolean;

  /** `answered`: the handler already told the sender in the workflow's own reply (a CPF01 acknowledgement). */
  constructor(readonly code: ProcessingErrorCode, readonly detail: string, readonly answered = false) {
    super(`${PROCESSING_ERRORS[code].description}: ${detail}`);
    this.permanent = PROCESSING_ERRORS[code].permanent;
    this.senderFault = PROCESSING_ERRORS[code].senderFault;
  }
}

/** A document that cannot be read as what its workflow takes: failing its schema, or not that XML at all. */
export function unreadable(error: XmlError, answered = false): ProcessingError {
  return new ProcessingError(error.code === 'SCHEMA_INVALID' ? 'SCHEMA_INVALID' : 'NOT_READABLE', oneLine(error).slice(0, 4000), answered);
}

/** Every register error says whether retrying can help; a new code must be placed here to compile. */
const REGISTER_FAULTS: Record<RegisterErrorCode, ProcessingErrorCode> = {
  CONTENDED: 'TRANSIENT',
  INVALID_ACCESS_TIME: 'INVALID_CONTENT',
};

/** Anything that is neither a ProcessingError nor a RegisterError (Redis down, a bug) counts as transient. */
export function asProcessingError(err: unknown): ProcessingError {
  if (err instanceof ProcessingError) return err;
  if (err instanceof RegisterError) return new ProcessingError(REGISTER_FAULTS[err.code], err.message);
  return new ProcessingError('TRANSIENT', err instanceof Error ? err.message : String(err));
}
