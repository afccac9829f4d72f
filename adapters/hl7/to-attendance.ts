import type { HL7Node, Message } from 'node-hl7-client';
import { checkNhsNumber } from '../../engine/cpis/nhs-number.js';
import type { Attendance, DepartmentType } from '../../engine/cpis/types.js';
import { adapterError, type AdapterError } from '../core/errors.js';
import { value, type Hl7Header } from './hl7-message.js';
import { hl7DateTimeToIso, hl7DateToIso, type Converted } from './hl7-timestamp.js';

export interface TranslateOptions {
  /** ECDS department type of every attendance on this feed; HL7 ADT does not carry it. '01' unless given. */
  departmentType?: DepartmentType;
  /** The care setting's name when neither MSH-4.2 (unless an OID) nor PV1-3.9 carries one. */
  careSettingName?: string;
}

/**
 * A PAS sends every ADT event; only emergency registrations and admissions are
 * attendances. The rest are `skipped`, which is not an error: the PAS is answered AA.
 */
export type Translation =
  | { kind: 'attendance'; attendance: Attendance }
  | { kind: 'skipped'; reason: string }
  | { kind: 'rejected'; error: AdapterError };

const ATTENDANCE_EVENTS = new Set(['A01', 'A04']);
const EMERGENCY = 'E';
const ODS = /^[A-Z0-9]{3,9}$/;
// XSD limits (common.xsd): PersonName, Text, Identifier.
const MAX_PERSON_NAME = 100;
const MAX_TEXT = 200;
const MAX_IDENTIFIER = 64;

/** Reads an ADT message as an attendance (CPIS.md "HL7 v2 feeds"). Errors name the field, never its value. */
export function toAttendance(message: Message, header: Hl7Header, options: TranslateOptions = {}): Translation {
  const event = `${header.messageType}^${header.triggerEvent}`;
  if (header.messageType !== 'ADT' || !ATTENDANCE_EVENTS.has(header.triggerEvent)) {
    return { kind: 'skipped', reason: `${event} is not an attendance event` };
  }
  const patientClass = value(message, 'PV1.2.1');
  if (patientClass !== EMERGENCY) {
    return { kind: 'skipped', reason: `${event} with patient class '${patientClass}' is not an emergency attendance` };
  }
  const read = allRead({
    nhsNumber: nhsNumber(message),
    familyName: personName(value(message, 'PID.5.1'), 'PID-5.1', 'family name'),
    givenName: personName(value(message, 'PID.5.2'), 'PID-5.2', 'given name'),
    birthDate: converted(value(message, 'PID.7.1'), 'PID-7', 'birth date', hl7DateToIso),
    arrival: converted(value(message, 'PV1.44.1'), 'PV1-44', 'admit date/time', hl7DateTimeToIso),
    ods: odsCode(header.sendingFacility, 'MSH-4', 'sending facility') ?? missing('MSH-4: no sending facility (the trust\'s ODS code)'),
    site: odsCode(value(message, 'PV1.3.4'), 'PV1-3.4', 'facility'),
    name: careSettingName(message, header, options),
  });
  if (!read.ok) return { kind: 'rejected', error: read.error };
  const { nhsNumber: nhs, familyName, givenName, birthDate, arrival, ods, site, name } = read.fields;
  return {
    kind: 'attendance',
    attendance: {
      attendanceId: attendanceId(message, header),
      arrival,
      careSetting: { ods, site, name, departmentType: options.departmentType ?? '01' },
      patient: { nhsNumber: nhs, familyName, givenName, birthDate },
    },
  };
}

/** The PID-3 repetition whose identifier type (CX-5) is NH. Display spacing (3-3-4) is dropped. */
function nhsNumber(message: Message): string | AdapterError {
  const nh = message.get('PID.3').toArray().find((repetition) => component(repetition, 5) === 'NH');
  if (!nh) return missing('PID-3: no identifier of type NH');
  const digits = component(nh, 1).replace(/ /g, '');
  if (!digits) return missing('PID-3: the identifier of type NH is empty');
  const check = checkNhsNumber(digits);
  return check.valid ? digits : unreadable(`PID-3: ${check.reason}`);
}

function personName(text: string, field: string, what: string): string | AdapterError {
  const name = text.replace(/\s+/g, ' ');
  if (!name) return missing(`${field}: no ${what}`);
  return name.length > MAX_PERSON_NAME ? unreadable(`${field}: the ${what} is longer than ${MAX_PERSON_NAME} characters`) : name;
}

function converted(text: string, field: string, what: string, convert: (text: string) => Converted): string | AdapterError {
  if (!text) return missing(`${field}: no ${what}`);
  const result = convert(text);
  return result.ok ? result.value : unreadable(`${field}: the ${what} ${result.reason}`);
}

/** An ODS code, upper-cased; undefined when the field is empty. */
function odsCode(text: string, field: string, what: string): string | AdapterError | undefined {
  if (!text) return undefined;
  const code = text.toUpperCase();
  return ODS.test(code) ? code : unreadable(`${field}: the ${what} is not an ODS code (3 to 9 letters or digits)`);
}

function careSettingName(message: Message, header: Hl7Header, options: TranslateOptions): string | AdapterError {
  const name = [nameNotOid(header.sendingFacilityName), value(message, 'PV1.3.9'), options.careSettingName]
    .map((n) => (n ?? '').replace(/\s+/g, ' ').trim())
    .find(Boolean);
  if (!name) return missing('MSH-4.2, PV1-3.9: no care setting name, and no careSettingName is configured');
  return name.length > MAX_TEXT ? unreadable(`MSH-4.2, PV1-3.9: the care setting name is longer than ${MAX_TEXT} characters`) : name;
}

/** MSH-4.2 is HL7's "universal id": a name in some feeds, an OID in many. */
function nameNotOid(text: string): string | undefined {
  return /^\d+(\.\d+)+$/.test(text.trim()) ? undefined : text;
}

/** The visit number (PV1-19), else the message control id, without white space, cut to the XSD's 64 characters. */
function attendanceId(message: Message, header: Hl7Header): string {
  const compact = (text: string) => text.replace(/\s/g, '').slice(0, MAX_IDENTIFIER);
  return compact(value(message, 'PV1.19.1')) || compact(header.controlId);
}

/** Component n (1-based, as HL7 numbers them) of one repetition. */
function component(repetition: HL7Node, n: number): string {
  return repetition.get(n - 1).toString().trim();
}

type Field = string | undefined | AdapterError;
type Read<T> = { ok: true; fields: { [K in keyof T]: Exclude<T[K], AdapterError> } } | { ok: false; error: AdapterError };

/** The fields, or the first one that could not be read (fields are strings; errors are objects). */
function allRead<T extends Record<string, Field>>(fields: T): Read<T> {
  const error = Object.values(fields).find((field): field is AdapterError => typeof field === 'object');
  return error ? { ok: false, error } : { ok: true, fields: fields as { [K in keyof T]: Exclude<T[K], AdapterError> } };
}

function missing(message: string): AdapterError {
  return adapterError('HL7_MISSING_FIELD', message);
}

function unreadable(message: string): AdapterError {
  return adapterError('HL7_UNREADABLE', message);
}
