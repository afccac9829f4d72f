import { parseAttendance } from '../../engine/cpis/xml/attendance.js';
import { parsePlanUpdate } from '../../engine/cpis/xml/plan-update.js';
import type { Result } from '../../engine/cpis/xml/result.js';
import { adapterError, type AdapterError } from './errors.js';

/** The documents an adapter sends to the hub, each checked against its XSD before it leaves. */
export type OutgoingKind = 'attendance' | 'planUpdate';

const PARSERS: Record<OutgoingKind, (xml: Buffer) => Result<unknown>> = {
  attendance: (xml) => parseAttendance(xml),
  planUpdate: (xml) => parsePlanUpdate(xml),
};

/**
 * Checks a document locally with the hub's own codec (guard, XSD), so that a bad file is
 * rejected at the trust or LA with the schema's reasons instead of travelling to the hub.
 */
export function checkDocument(kind: OutgoingKind, body: Buffer): AdapterError | undefined {
  if (body.toString('utf8').trim() === '') return adapterError('EMPTY', 'the document is empty');
  const result = PARSERS[kind](body);
  if (result.ok) return undefined;
  return adapterError(result.error.code, result.error.message, { details: result.error.details });
}
