import { checkInbound, type InboundFlow } from '../../engine/cpis/accepted-documents.js';
import { adapterError, type AdapterError } from './errors.js';

/** The documents an adapter sends to the hub: attendances, and plan updates in either format. */
export type OutgoingKind = InboundFlow;

/**
 * Checks a document locally with the hub's own codec (guard, XSD), so that a bad file is
 * rejected at the trust or LA with the schema's reasons instead of travelling to the hub.
 * A plan update is checked as what it is: our `planUpdate` against plan-update.xsd, a
 * national `File` (HL7 v3) against dms/upload.xsd; the document itself goes on unchanged.
 */
export function checkDocument(kind: OutgoingKind, body: Buffer): AdapterError | undefined {
  if (body.toString('utf8').trim() === '') return adapterError('EMPTY', 'the document is empty');
  const result = checkInbound(kind, body);
  if (result.ok) return undefined;
  return adapterError(result.error.code, result.error.message, { details: result.error.details });
}
