import { buildAttendance } from '../../engine/cpis/xml/attendance.js';
import { checkDocument } from '../core/document.js';
import { adapterError, type AdapterError } from '../core/errors.js';
import type { Prepare } from '../core/sender.js';
import { readHl7, type Hl7Header } from './hl7-message.js';
import { hl7LocalId } from './local-id.js';
import { toAttendance, type TranslateOptions } from './to-attendance.js';

/** One HL7 message made ready for the hub, or why not. `header` is there whenever MSH could be read, for the ACK. */
export type Hl7Outcome =
  | { kind: 'attendance'; header: Hl7Header; body: Buffer; localId: string }
  | { kind: 'skipped'; header: Hl7Header; reason: string }
  | { kind: 'rejected'; header?: Hl7Header; error: AdapterError };

/** Text → HL7 message → attendance → XML, checked against attendance.xsd before it leaves. */
export function prepareHl7Message(input: Buffer | string, options: TranslateOptions): Hl7Outcome {
  const read = readHl7(input);
  if (!read.ok) return { kind: 'rejected', error: read.error };
  const { message, header } = read;
  const translation = toAttendance(message, header, options);
  if (translation.kind !== 'attendance') return { ...translation, header };
  const body = Buffer.from(buildAttendance(translation.attendance));
  const invalid = checkDocument('attendance', body);
  // The translation checks every field the XSD constrains, so this is a fault of ours; the
  // schema's own message can quote a value, so only the details (kept beside a file) have it.
  if (invalid) {
    const error = adapterError(invalid.code, 'the translated attendance does not match attendance.xsd', { details: invalid.details });
    return { kind: 'rejected', header, error };
  }
  return { kind: 'attendance', header, body, localId: hl7LocalId(header) };
}

/** For HL7 files dropped in a folder. A file that is not an emergency attendance is skipped, with the reason. */
export function prepareHl7(options: TranslateOptions): Prepare {
  return (input) => {
    const outcome = prepareHl7Message(input, options);
    switch (outcome.kind) {
      case 'attendance': return { ok: true, body: outcome.body, localId: outcome.localId };
      case 'skipped': return { ok: true, skip: outcome.reason };
      case 'rejected': return { ok: false, error: outcome.error };
    }
  };
}
