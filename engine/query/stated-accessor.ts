import type { IncomingHttpHeaders } from 'node:http';
import type { Accessor } from '../cpis/types.js';
import type { QueryClientConfig } from '../config/schema.js';
import type { QueryRefusal } from './refusal.js';

/** The headers a trust system names its user in, by the Accessor field each fills. */
const USER_HEADERS = {
  name: 'X-User-Name',
  role: 'X-User-Role',
  /** SDS user id. */
  id: 'X-User-Id',
  roleCode: 'X-User-Role-Code',
  roleProfileId: 'X-User-Role-Profile-Id',
} as const;
type UserField = keyof typeof USER_HEADERS;

const MAX_LENGTH = 200;
// eslint-disable-next-line no-control-regex -- control characters (and line separators) are what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const refuse = (message: string): QueryRefusal => ({ refused: 'NO_STATED_USER', message });

/**
 * Who is asking: the user the system states in the X-User-* headers, else the client's
 * responsible person (a system asking on its own account, as the HL7 v3 System author does).
 * The responsible person asks through `systemAsid`, the system the query names (an HL7 v3
 * System author's ASID), else through the client's own ASID.
 */
export function statedAccessor(headers: IncomingHttpHeaders, client: QueryClientConfig, systemAsid?: string): Accessor | QueryRefusal {
  const stated: Partial<Record<UserField, string>> = {};
  for (const [field, name] of Object.entries(USER_HEADERS) as [UserField, string][]) {
    const value = userHeader(headers, name);
    if (typeof value === 'object') return value;
    if (value !== undefined) stated[field] = value;
  }
  if (stated.name !== undefined) return stated as Accessor;
  const orphan = Object.keys(stated)[0] as UserField | undefined;
  if (orphan) return refuse(`${USER_HEADERS[orphan]} is given without X-User-Name`);
  if (client.responsiblePerson) return { ...client.responsiblePerson, system: systemAsid ?? client.asid ?? client.id };
  return refuse(`X-User-Name is required: query client ${client.id} has no responsible person to ask on behalf of`);
}

/** A header's text, trimmed; undefined when absent or blank. Header bytes are read as UTF-8. */
function userHeader(headers: IncomingHttpHeaders, name: string): string | undefined | QueryRefusal {
  const raw = headers[name.toLowerCase()];
  if (Array.isArray(raw)) return refuse(`${name} is given more than once`);
  if (raw === undefined) return undefined;
  let text: string;
  try {
    text = utf8.decode(Buffer.from(raw, 'latin1')).trim();
  } catch {
    return refuse(`${name} is not UTF-8`);
  }
  if (CONTROL.test(text)) return refuse(`${name} has control characters`);
  if (text.length > MAX_LENGTH) return refuse(`${name} is over ${MAX_LENGTH} characters`);
  return text === '' ? undefined : text;
}
