/** The searchset both CP-IS searches answer with (../shared/reference/cpis-fhir/README.md §3, §4). */
import type * as fhir4 from 'fhir/r4.js';
import { uuidFrom } from '../dms/hl7.js';

/** Where the search was asked: what the bundle's self link and fullUrls are made from. */
export interface FhirRequest {
  /** The service base, without a trailing slash, e.g. `https://example.nhs.uk/cpis/FHIR/R4`. */
  base: string;
  /** The full request URL, as the self link. */
  self: string;
  /** The caller's id for this response (e.g. its request id): a searchset is not stored, so nothing derives one. */
  bundleId: string;
}

export type Identified<T extends fhir4.Resource> = T & { id: string };

export interface SearchEntry<T extends fhir4.Resource> {
  resource: Identified<T>;
  mode: 'match' | 'include';
}

/**
 * A resource id made from the data it renders, so the same answer renders the same bundle.
 * Lower case: FHIR and RFC 4122 write UUIDs so (upper case is for the national XML schemas).
 */
export const resourceId = (name: string): string => uuidFrom(`fhir:${name}`).toLowerCase();

export function searchset<T extends fhir4.Resource>(request: FhirRequest, total: number, entries: SearchEntry<T>[]): fhir4.Bundle<T> {
  return {
    resourceType: 'Bundle',
    id: request.bundleId,
    type: 'searchset',
    total,
    link: [{ relation: 'self', url: request.self }],
    ...(entries.length > 0 && {
      entry: entries.map(({ resource, mode }) => ({
        fullUrl: `${request.base}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode },
      })),
    }),
  };
}
