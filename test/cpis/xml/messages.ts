/** Every message codec, by the name of its schema and examples folder. */
import { buildAccessNotification, parseAccessNotification } from '../../../engine/cpis/xml/access-notification.js';
import { buildAttendance, parseAttendance } from '../../../engine/cpis/xml/attendance.js';
import type { ParseOptions } from '../../../engine/cpis/xml/codec.js';
import { buildFlagResponse, parseFlagResponse } from '../../../engine/cpis/xml/flag-response.js';
import { buildMeshReport, parseMeshReport } from '../../../engine/cpis/xml/mesh-report.js';
import { buildPlanUpdateAck, parsePlanUpdateAck } from '../../../engine/cpis/xml/plan-update-ack.js';
import { buildPlanUpdate, parsePlanUpdate } from '../../../engine/cpis/xml/plan-update.js';
import { buildInactiveNhsNumber, parseInactiveNhsNumber } from '../../../engine/cpis/xml/inactive-nhs-number.js';
import { buildDmsUpload, parseDmsUpload } from '../../../engine/cpis/dms/upload.js';
import type { Result } from '../../../engine/cpis/xml/result.js';
import type { SchemaName } from '../../../engine/cpis/xml/schemas.js';

export interface AnyCodec {
  parse(xml: string | Buffer, options?: ParseOptions): Result<unknown>;
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
};
