/**
 * HL7 v3 as CP-IS writes it (DMS 1.0 RC5; ../shared/reference/cpis-dms/README.md §2): the
 * namespaces, the OIDs, template content ids, timestamps, plan dates, telecoms and the
 * deterministic UUIDs the hub gives its messages.
 */
import { createHash } from 'node:crypto';
import { prettyPrint } from '../xml/pretty-print.js';
import type { Tree } from '../xml/tree.js';

export const HL7_NAMESPACE = 'urn:hl7-org:v3';
export const LOCALISATION_NAMESPACE = 'NPFIT:HL7:Localisation';

export const OID = {
  nhsNumber: '2.16.840.1.113883.2.1.4.1',
  /** The LA's own id for a person. */
  localPersonId: '2.16.840.1.113883.2.1.3.2.4.18.24',
  odsOrganisation: '2.16.840.1.113883.2.1.3.2.4.19.1',
  odsSite: '2.16.840.1.113883.2.1.3.2.4.19.2',
  contentId: '2.16.840.1.113883.2.1.3.2.4.18.16',
  sdsUserId: '1.2.826.0.1285.0.2.0.65',
  sdsRoleProfile: '1.2.826.0.1285.0.2.0.67',
  asid: '1.2.826.0.1285.0.2.0.107',
  /** NHS JobRoleName, the vocabulary of SDS job role codes. */
  jobRole: '2.16.840.1.113883.2.1.3.2.4.17.124',
  /** Interaction ids of the Spine wrappers. */
  interaction: '2.16.840.1.113883.2.1.3.2.4.12',
  uploadRecordResponse: '2.16.840.1.113883.2.1.3.2.4.17.473',
  /** HL7 NullFlavor: a true "unknown" where a code is required but none is known. */
  nullFlavor: '2.16.840.1.113883.5.1008',
} as const;

/** The `npfitlc:contentId` written before each template. */
export const contentId = (template: string): Tree => ({
  '@root': OID.contentId,
  '@extension': template,
});

export const organisationId = (ods: string): Tree => ({ '@root': OID.odsOrganisation, '@extension': ods });

/**
 * A plan date (`yyyyMMddHHmm`, UK local time) as the register's day. The time of day is
 * dropped: the register keeps days, and the day is the one the LA meant in UK local time, so no
 * zone conversion is wanted (converting 00:30 BST to UTC would move the plan to the day before).
 */
export const planDay = (value: string): string => `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;

/**
 * A birth time (HL7 TS, right-truncatable) as a day. One with less than a day's precision is
 * passed on as sent, so that the register refuses it as not a date rather than the codec guessing.
 */
export const birthDay = (value: string): string => (/^\d{8}/.test(value) ? planDay(value) : value);

/** An ISO 8601 time (`2024-05-01T22:14:00+01:00` or `…Z`) as an HL7 TS with its offset. */
export function hl7Time(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!match) throw new RangeError('not an ISO 8601 time with a zone');
  const [, year, month, day, hour, minute, second, zone] = match;
  const offset = zone === 'Z' ? '+0000' : zone.replace(':', '');
  return `${year}${month}${day}${hour}${minute}${second}${offset}`;
}

/** A register day (`YYYY-MM-DD`) as a plan date: 12 digits, the start of that day in UK local time (see planDay). */
export const planDate = (day: string): string => `${hl7Day(day)}0000`;

/** A register day (`YYYY-MM-DD`) as an HL7 TS of a day's precision (`YYYYMMDD`), e.g. a birth time. */
export const hl7Day = (day: string): string => day.replace(/-/g, '');

const TS_WITH_ZONE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?([+-])(\d{2})(\d{2})$/;

/**
 * An HL7 TS with at least minutes and a zone offset (`20240501221400+0100`) as ISO 8601
 * (`2024-05-01T22:14:00+01:00`, `Z` for +0000); fractions of a second are dropped, as hl7Time
 * drops them. Undefined for a TS without a zone, with less than minutes, or not a calendar time.
 */
export function isoTime(ts: string): string | undefined {
  const match = TS_WITH_ZONE.exec(ts);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '00', sign, zoneHour, zoneMinute] = match;
  const utc = new Date(Date.UTC(+year, +month - 1, +day, +hour, +minute, +second));
  const calendar = utc.getUTCFullYear() === +year && utc.getUTCMonth() === +month - 1 && utc.getUTCDate() === +day &&
    utc.getUTCHours() === +hour && utc.getUTCMinutes() === +minute && utc.getUTCSeconds() === +second;
  if (!calendar || +zoneHour > 14 || +zoneMinute > 59) return undefined;
  const zone = `${sign}${zoneHour}:${zoneMinute}`;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${zone === '+00:00' ? 'Z' : zone}`;
}

/** `tel:` value to our phone form; an empty `tel:` is no number. */
export const phoneOf = (value: string): string | undefined => value.slice('tel:'.length) || undefined;

/** Our phone (digits, single spaces, optional leading +) as a `tel:` value, which has no spaces. */
export const telValue = (phone: string): string => `tel:${phone.replace(/ /g, '')}`;

/** Office (`WP`) and emergency (`EC`) telecoms, in that order, leaving out those not known. */
export function telecoms(officePhone: string | undefined, emergencyPhone: string | undefined): Tree[] {
  return [
    ...(officePhone ? [{ '@value': telValue(officePhone), '@use': 'WP' }] : []),
    ...(emergencyPhone ? [{ '@value': telValue(emergencyPhone), '@use': 'EC' }] : []),
  ];
}

const ANY_UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/** The id as the national schemas write a UUID (upper case), if it is one. */
export const asUuid = (id: string): string | undefined => (ANY_UUID.test(id) ? id.toUpperCase() : undefined);

/** Our namespace for name-based UUIDs: any fixed UUID would do, this one is only ours. */
const HUB_NAMESPACE = Buffer.from('6c1b8f0e4a2d4f7c9b3e5d1a0c2f4e6b', 'hex');

/**
 * A UUID made from a name, as RFC 4122 version 5 (SHA-1), so that the same message retried
 * carries the same id. Upper case: the national schemas' UUID pattern admits no lower case.
 */
export function uuidFrom(name: string): string {
  const hash = createHash('sha1').update(HUB_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A national document: root in HL7 v3's namespace, `npfitlc` declared for the content ids. */
export function hl7Document(root: string, children: Tree): string {
  return prettyPrint(root, { xmlns: HL7_NAMESPACE, 'xmlns:npfitlc': LOCALISATION_NAMESPACE }, children);
}
