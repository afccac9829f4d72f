import type { MeshReport } from '../../engine/cpis/types.js';
import { buildMeshReport } from '../../engine/cpis/xml/mesh-report.js';
import type { Delivery } from '../core/delivery.js';
import type { MeshMessageHeaders } from '../mesh-client/index.js';

/**
 * What a sink hands over. A MESH REPORT has an empty body by convention and says what went
 * wrong only in its headers, which a file or a queue would drop: it goes out as a
 * `meshReport` document (schemas/mesh-report.xsd) written from those headers. Any other
 * message goes out as it came.
 */
export function deliverable(message: Delivery): Delivery {
  if (message.headers.messageType !== 'REPORT') return message;
  return { ...message, body: Buffer.from(buildMeshReport(readableReport(message.headers)), 'utf8') };
}

/**
 * The report's headers as the schema's fields. Headers come from the MESH server, so each is
 * kept only in the shape the schema allows (a value that does not fit is left out, a long
 * description cut): the document is always valid, whatever the server sent.
 */
export function readableReport(headers: MeshMessageHeaders): MeshReport {
  return {
    reportId: fitting(headers.messageId, /^\S{1,100}$/) ?? 'unknown',
    code: fitting(headers.statusCode, /^[0-9]{2}$/),
    description: cut(headers.statusDescription, 2000),
    event: fitting(headers.statusEvent?.toUpperCase(), /^[A-Z_]{1,32}$/),
    time: meshTime(headers.statusTimestamp),
    linkedMessageId: fitting(headers.linkedMsgId, /^\S{1,100}$/),
    localId: cut(headers.localId, 500),
    workflowId: fitting(headers.workflowId, /^[A-Za-z0-9_.-]{1,100}$/),
  };
}

/** As XML reads a token: white space runs collapsed, ends trimmed. */
function collapsed(value: string | undefined): string | undefined {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

function fitting(value: string | undefined, shape: RegExp): string | undefined {
  const text = collapsed(value);
  return text !== undefined && shape.test(text) ? text : undefined;
}

function cut(value: string | undefined, maxLength: number): string | undefined {
  return collapsed(value)?.slice(0, maxLength).trimEnd();
}

/** MESH's `YYYYMMDDHHMMSS` (UTC) as `YYYY-MM-DDThh:mm:ssZ`; undefined unless it is a real time. */
function meshTime(stamp: string | undefined): string | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp?.trim() ?? '');
  if (!parts) return undefined;
  const [, y, mo, d, h, mi, s] = parts;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  // A date such as 31 February reads as another day, or not at all.
  const at = new Date(iso);
  return !Number.isNaN(at.getTime()) && at.toISOString().replace('.000', '') === iso ? iso : undefined;
}
