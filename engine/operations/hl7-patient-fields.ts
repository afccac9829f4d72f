import { OID } from '../cpis/dms/hl7.js';

/**
 * Where a national (HL7 v3, DMS) element holds patient data. HL7 v3 names no field for what
 * it is: an NHS number is the `extension` of any identifier whose `root` is the NHS number
 * OID, a name is `name` with `given`/`family` parts, a birth date is `birthTime/@value`
 * (../shared/reference/cpis-dms/README.md §2, §4, §5). So the element's attributes and its
 * parent decide, and where the document leaves it open, the value is taken for a patient's.
 */
export type Hl7Field = 'nhsNumber' | 'givenName' | 'familyName' | 'personName' | 'birthDate' | 'localPersonId';

/** What of a patient an element holds. */
export interface Hl7Element {
  /** Attribute local names that hold a patient value, and which. */
  attributes: Map<string, Hl7Field>;
  /** The whole content is one value, and so is each attribute of the element. */
  content?: Hl7Field;
  /** A person's name: each part in it is a value, and so is any text directly in it. */
  personName?: boolean;
}

/**
 * Where an identifier stands with no `root` (or one we do not know), what it identifies:
 * a replacement NHS number (`newVersion/id`, inactive notification §4.7) and the query's NHS
 * number (`person.NHSnumber/value`, §4.3) carry none by the schema; under a child, a mother
 * or an inactive patient any identifier is the person's, so it is hidden as a local id.
 */
const ROOTLESS: Record<string, Hl7Field> = {
  newVersion: 'nhsNumber',
  'person.NHSnumber': 'nhsNumber',
  'person.id': 'localPersonId',
  playedMother: 'localPersonId',
  pDSInactivePatient: 'localPersonId',
};
/** The template element names end in their class (`COCT_TP145101GB01.Child`). */
const isChild = (parent: string) => parent === 'Child' || parent.endsWith('.Child');

/**
 * Names that are not a patient's: an organisation's, and staff's. The clinician who looked
 * a child up (the author of an access notification) is shown, as in the native
 * `viewedBy/name`: support staff need to know who asked. Any other name is taken for a patient's.
 */
const NOT_PATIENT_NAME = new Set([
  'organisation',
  'representedOrganization',
  'maintainingOrganization',
  'representedSourceOrganization',
  'assignedAuthorPerson',
  'assignedPerson',
]);

const PART: Record<string, Hl7Field> = { given: 'givenName', family: 'familyName' };

/**
 * The patient values of an element: `local` its local name, `parent` its parent's (or
 * undefined for the root), `inName` whether the parent is a patient's name, `attribute`
 * an attribute's value as read, by local name.
 */
export function hl7Element(local: string, parent: string | undefined, inName: boolean, attribute: (name: string) => string | undefined): Hl7Element {
  const attributes = new Map<string, Hl7Field>();
  if (inName) return { attributes, content: PART[local] ?? 'personName' };
  if (local === 'birthTime') return { attributes, content: 'birthDate' };
  if (local === 'name' && !NOT_PATIENT_NAME.has(parent ?? '')) return { attributes, personName: true };
  const identified = identifier(attribute('root'), parent);
  if (identified) attributes.set('extension', identified);
  return { attributes };
}

function identifier(root: string | undefined, parent: string | undefined): Hl7Field | undefined {
  if (root === OID.nhsNumber) return 'nhsNumber';
  if (root === OID.localPersonId) return 'localPersonId';
  if (parent === undefined) return undefined;
  return ROOTLESS[parent] ?? (isChild(parent) ? 'localPersonId' : undefined);
}
