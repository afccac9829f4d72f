/**
 * The documents the hub takes on each inbound flow, in either format, and the check each
 * must pass: what an LA or trust adapter checks before a file leaves, and what staff's edit
 * of a held message must pass. A plan update is our `planUpdate` or the national `File`.
 */
import { HL7_NAMESPACE } from './dms/hl7.js';
import { parseDmsUpload } from './dms/upload.js';
import { recognise, rootOf, type DocumentKind } from './recognise.js';
import { parseAttendance } from './xml/attendance.js';
import { parsePlanUpdate } from './xml/plan-update.js';
import { fail, type Result } from './xml/result.js';
import { NAMESPACE } from './xml/schemas.js';

export type InboundFlow = 'planUpdate' | 'attendance';

interface Accepted {
  kind: DocumentKind;
  /** `{namespace}name`, as a refusal names it. */
  root: string;
  parse: (xml: string | Buffer) => Result<unknown>;
}

const ACCEPTED: Record<InboundFlow, readonly Accepted[]> = {
  planUpdate: [
    { kind: { format: 'native', message: 'planUpdate' }, root: `{${NAMESPACE}}planUpdate`, parse: (xml) => parsePlanUpdate(xml) },
    { kind: { format: 'dms', message: 'File' }, root: `{${HL7_NAMESPACE}}File`, parse: (xml) => parseDmsUpload(xml) },
  ],
  attendance: [
    { kind: { format: 'native', message: 'attendance' }, root: `{${NAMESPACE}}attendance`, parse: (xml) => parseAttendance(xml) },
  ],
};

const sameKind = (a: DocumentKind, b: DocumentKind | undefined) => a.format === b?.format && a.message === b.message;

/** Whether the flow takes this kind of document (a worker then hands it to its format's handler). */
export const takes = (flow: InboundFlow, kind: DocumentKind): boolean => ACCEPTED[flow].some((a) => sameKind(a.kind, kind));

/**
 * Checks the document as what it is (root element and namespace) among those the flow
 * takes. Anything else gets the first one's check, which says what is wrong with it (not
 * XML, too large), and a wrong root is refused naming every root the flow would take.
 */
export function checkInbound(flow: InboundFlow, xml: string | Buffer): Result<unknown> {
  const accepted = ACCEPTED[flow];
  const chosen = accepted.find((a) => sameKind(a.kind, recognise(xml)));
  if (chosen) return chosen.parse(xml);
  const checked = accepted[0].parse(xml);
  const root = rootOf(xml);
  if (checked.ok || checked.error.code !== 'WRONG_DOCUMENT' || accepted.length === 1 || !root) return checked;
  return fail('WRONG_DOCUMENT', `expected the root element ${accepted.map((a) => a.root).join(' or ')}, found {${root.namespace ?? ''}}${root.name}`);
}
