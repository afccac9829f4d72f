import { randomUUID } from 'node:crypto';
import type { DmsQuery } from '../../engine/cpis/dms/query.js';
import type { TestHub } from './hub.js';

/** The sample's query clients and their sample secrets (config/sample.yaml). */
export const QUERY_CLIENTS = {
  ed: { id: 'rr8-ed', secret: 'rr8-ed-secret' },
  miu: { id: 'rr8-minor-injuries', secret: 'rr8-miu-secret' },
} as const;

/** The user the sample ED system states on each query. */
export const ED_USER = { 'X-User-Name': 'Dr Sam Patel', 'X-User-Role': 'Emergency Medicine Consultant', 'X-User-Id': '555000000999' };

/** A bearer token from the hub's token endpoint (OAuth2 client credentials). */
export async function queryToken(hub: Pick<TestHub, 'url'>, client: { id: string; secret: string } = QUERY_CLIENTS.ed): Promise<string> {
  const res = await fetch(`${hub.url}/cpis/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface FhirAnswer {
  status: number;
  headers: Headers;
  body: { resourceType: string; total?: number; entry?: { resource: Record<string, unknown>; search?: { mode: string } }[]; issue?: { code: string; details?: { coding?: { code: string }[] }; diagnostics?: string }[] };
}

/** GET on the FHIR API with a token, the ED user and any other headers. */
export async function fhirGet(hub: Pick<TestHub, 'url'>, path: string, token: string | undefined, headers: Record<string, string> = {}): Promise<FhirAnswer> {
  const res = await fetch(`${hub.url}/cpis/FHIR/R4${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...ED_USER, ...headers },
  });
  return { status: res.status, headers: res.headers, body: await res.json() as FhirAnswer['body'] };
}

export const careTeamPath = (nhsNumber: string): string =>
  `/CareTeam?patient:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`)}`;

export const auditEventPath = (nhsNumber: string): string =>
  `/AuditEvent?patient:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`)}`;

/** The Spine code of an OperationOutcome's first issue. */
export const spineCode = (answer: FhirAnswer): string | undefined => answer.body.issue?.[0]?.details?.coding?.[0]?.code;

/** A national query from the sample trust (RR8), its user named as the author; fresh message and query ids. */
export function dmsQuery(overrides: Partial<DmsQuery> = {}): DmsQuery {
  return {
    messageId: randomUUID().toUpperCase(), senderAsid: '200000000123', receiverAsid: '990000000001', queryId: randomUUID().toUpperCase(),
    at: '2026-11-29T10:00:00Z', nhsNumber: '9689177621', unscheduled: true, organisation: { ods: 'RR8', name: 'Leeds Teaching Hospitals' },
    viewedBy: { name: 'Dr Sam Patel', role: 'Emergency Medicine Consultant', roleCode: 'R0260', id: '555000000999', roleProfileId: '555000000111' },
    ...overrides,
  };
}

export interface Hl7v3Answer {
  status: number;
  headers: Headers;
  xml: string;
}

/** POSTs an XML body to the HL7 v3 query endpoint, with a bearer token when given. */
export async function hl7v3Post(hub: Pick<TestHub, 'url'>, body: string, bearer?: string, headers: Record<string, string> = {}): Promise<Hl7v3Answer> {
  const res = await fetch(`${hub.url}/cpis/hl7v3/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, xml: await res.text() };
}
