/** Parts the two national notifications share: the recipient LA and the person's ids. */
import type { Tree } from '../xml/tree.js';
import { contentId, OID, organisationId } from './hl7.js';
import { laLocalId } from './records.js';
import { RECIPIENT_TEMPLATE } from './vocabulary.js';

/** `primaryInformationRecipient` content: the LA as the intended recipient. */
export function recipient(la: { ods: string; name: string }): Tree {
  return {
    'npfitlc:contentId': contentId(RECIPIENT_TEMPLATE.template),
    [RECIPIENT_TEMPLATE.element]: { representedSourceOrganization: { id: organisationId(la.ods), name: la.name } },
  };
}

/** The NHS number, then the LA's local id for the person when the register holds one apart from it. */
export function personIds(nhsNumber: string, localId: string): Tree[] {
  const local = laLocalId(localId, nhsNumber);
  return [
    { '@root': OID.nhsNumber, '@extension': nhsNumber },
    ...(local === undefined ? [] : [{ '@root': OID.localPersonId, '@extension': local }]),
  ];
}

/** A file id the register did not keep (records set before it kept them) is sent as this. */
export const UNKNOWN_UPLOAD_FILE = 'UNKNOWN';

export const uploadFile = (id: string | undefined): Tree => ({ value: { '@extension': id ?? UNKNOWN_UPLOAD_FILE } });
