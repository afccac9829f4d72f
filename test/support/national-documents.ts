/**
 * What the tests read from the national documents the hub emits (it only writes them, so
 * the engine has no reader): enough to match an answer to what it answers.
 */
import { OID } from '../../engine/cpis/dms/hl7.js';
import { rootOf } from '../../engine/cpis/recognise.js';
import { attribute, child, children, treeParser, type Tree } from '../../engine/cpis/xml/tree.js';

const ACCESS = 'CP-ISAccessToServiceNotification';
const QUERY = `${ACCESS}.pertinentInformation1.pertinentCP-ISRecordAccess.pertinentInformation2.pertinentCP-ISNHSQuery`;
const parse = treeParser([`${ACCESS}.pertinentInformation1`, `${QUERY}.queryByParameter.person.id.value`]);

export interface NationalAccess {
  /** The query id of each plan's access: derived from the attendance's MESH message id. */
  queryIds: string[];
  /** The NHS number of each plan's person. */
  nhsNumbers: string[];
  /** The recipient LA's ODS code. */
  la: string;
}

/** A `CP-ISAccessToServiceNotification`, or undefined for any other document. */
export function readNationalAccess(body: Buffer | string): NationalAccess | undefined {
  if (rootOf(body)?.name !== ACCESS) return undefined;
  const root = child(parse(body.toString()), ACCESS);
  const queries = children(root, 'pertinentInformation1').map((p) =>
    child(child(child(p, 'pertinentCP-ISRecordAccess'), 'pertinentInformation2'), 'pertinentCP-ISNHSQuery'));
  const ids = (query: Tree) => children(child(child(query, 'queryByParameter'), 'person.id'), 'value');
  const recipient = child(child(root, 'primaryInformationRecipient'), 'COCT_TP145103GB01.IntendedRecipient');
  return {
    queryIds: queries.map((q) => attribute(child(q, 'id'), 'root')),
    nhsNumbers: queries.map((q) => ids(q).filter((v) => attribute(v, 'root') === OID.nhsNumber).map((v) => attribute(v, 'extension')).join()),
    la: attribute(child(child(recipient, 'representedSourceOrganization'), 'id'), 'extension'),
  };
}

/** A `FileResponse`'s file id and status (CPF01–CPF04), or undefined for any other document. */
export function readFileResponse(body: Buffer | string): { fileId: string; status: string } | undefined {
  if (rootOf(body)?.name !== 'FileResponse') return undefined;
  const root = child(parse(body.toString()), 'FileResponse');
  return {
    fileId: attribute(child(root, 'id'), 'extension'),
    status: attribute(child(child(child(root, 'acknowledgementFile'), 'acknowledgementFileDetail'), 'code'), 'code'),
  };
}
