/** Every message codec, by the name of its schema and examples folder. */
import { buildAccessNotification, parseAccessNotification } from '../../../engine/cpis/xml/access-notification.js';
import { buildAttendance, parseAttendance } from '../../../engine/cpis/xml/attendance.js';
import type { ParseOptions } from '../../../engine/cpis/xml/codec.js';
import { buildFlagResponse, parseFlagResponse } from '../../../engine/cpis/xml/flag-response.js';
import { buildMeshReport, parseMeshReport } from '../../../engine/cpis/xml/mesh-report.js';
import { buildPlanUpdateAck, parsePlanUpdateAck } from '../../../engine/cpis/xml/plan-update-ack.js';
import { buildPlanUpdate, parsePlanUpdate } from '../../../engine/cpis/xml/plan-update.js';
import { buildInactiveNhsNumber, parseInactiveNhsNumber } from '../../../engine/cpis/xml/inactive-nhs-number.js';
import { buildDmsQuery, parseDmsQuery } from '../../../engine/cpis/dms/query.js';
import { buildDmsUpload, parseDmsUpload } from '../../../engine/cpis/dms/upload.js';
import type { SchemaName } from '../../../engine/cpis/xml/schemas.js';

/** A value, or an error with a code (XmlErrorCode, or a codec's own for what it checks beyond its schema). */
type Parsed = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; details: string[] } };

export interface AnyCodec {
  parse(xml: string | Buffer, options?: ParseOptions): Parsed;
  build(value: never): string;
}

export const messages: Record<SchemaName, AnyCodec> = {
  'plan-update': { parse: parsePlanUpdate, build: buildPlanUpdate },
  'plan-update-ack': { parse: parsePlanUpdateAck, build: buildPlanUpdateAck },
  attendance: { parse: parseAttendance, build: buildAttendance },
  'flag-response': { parse: parseFlagResponse, build: buildFlagResponse },
  'access-notification': { parse: parseAccessNotification, build: buildAccessNotification },
  'mesh-report': { parse: parseMeshReport, build: buildMeshReport },
  'inactive-nhs-number': { parse: parseInactiveNhsNumber, build: buildInactiveNhsNumber },
  'dms/upload': { parse: parseDmsUpload, build: buildDmsUpload },
  'dms/query': { parse: parseDmsQuery, build: buildDmsQuery },
};
