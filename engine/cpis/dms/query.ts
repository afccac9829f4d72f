/**
 * The national CP-IS NHS query (QUPC_IN000006GB01, §4.3) read into plain values: who asks, for
 * which NHS number, from which system, and whether the access is unscheduled. Our schema
 * (schemas/dms/query.xsd) checks the shape; the NHS number, the query id, the time and the
 * author's name are checked here so that each refusal has its own code.
 *
 * Patch D's `accessEventType` was published without its place in the message (§9), so it is read
 * where an HL7 query would carry it, as a parameter last in `queryByParameter`, and as the last
 * element of `cP-ISNHSQuery`; each as `value="false"` or as content. A query is a silent read
 * only when every flag it carries says false: in doubt, the access is recorded and notified.
 */
import type { Accessor } from '../types.js';
import { checkNhsNumber } from '../nhs-number.js';
import { admit } from '../xml/guard.js';
import { MiB, type ParseOptions } from '../xml/codec.js';
import type { XmlErrorCode } from '../xml/result.js';
import { attribute, child, children, treeParser, type Tree } from '../xml/tree.js';
import { validate } from '../xml/validate.js';
import { collapse } from '../xml/values.js';
import { authorTemplate, AUTHOR_REPEATED, readAuthor, type AuthorOrganisation } from './authors.js';
import { HL7_NAMESPACE, hl7Time, isoTime } from './hl7.js';
import { spineMessage } from './wrapper.js';

export interface DmsQuery {
  /** The wrapper's `id/@root`: what an acknowledgement's `messageRef` names. */
  messageId: string;
  /** The asking system's ASID (`communicationFunctionSnd`): where the reply goes. */
  senderAsid: string;
  /** The first `communicationFunctionRcv` ASID: the system the asker meant to reach. */
  receiverAsid: string;
  /** `cP-ISNHSQuery/id/@root`, an upper-case UUID: the same on a retry. */
  queryId: string;
  /** When the query was made (`cP-ISNHSQuery/effectiveTime`), ISO 8601 with a zone. */
  at: string;
  nhsNumber: string;
  /** False only for a silent read (Patch D `accessEventType` false). */
  unscheduled: boolean;
  /** The person's organisation (`representedOrganization`) or the system's (`maintainingOrganization`). */
  organisation: AuthorOrganisation;
  /**
   * The person who asked, or the nominated person of the system that asked (then `system` is
   * its ASID). Absent only when a system asked and named no nominated person.
   */
  viewedBy?: Accessor;
  /** The ASID of the system that asked, when the author is a system. */
  systemAsid?: string;
}

/** Refusals of a query the schema accepted. */
export type DmsQueryProblem =
  | 'NO_NHS_NUMBER'
  | 'INVALID_NHS_NUMBER'
  | 'INVALID_QUERY_ID'
  | 'INVALID_TIME'
  | 'NO_AUTHOR_NAME'
  | 'INVALID_ACCESS_EVENT_TYPE';

export interface DmsQueryError {
  code: XmlErrorCode | DmsQueryProblem;
  /** What is wrong in a few words; never patient data. */
  message: string;
  /** Where: libxml2's lines, or the path of the value refused. */
  details: string[];
  /** The query's message id and sender, when the document was read that far: where a refusal goes. */
  messageId?: string;
  senderAsid?: string;
}

export type DmsQueryResult = { ok: true; value: DmsQuery } | { ok: false; error: DmsQueryError };

const ROOT = 'QUPC_IN000006GB01';
const QUERY = `${ROOT}.ControlActEvent.subject.CP-ISQueryStub.cP-ISNHSQuery`;
const parseTree = treeParser([
  `${ROOT}.communicationFunctionRcv`,
  `${ROOT}.communicationFunctionRcv.device.id`,
  `${ROOT}.communicationFunctionSnd.device.id`,
  ...AUTHOR_REPEATED.map((path) => `${QUERY}.author.${path}`),
]);

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const PATH = '/QUPC_IN000006GB01/ControlActEvent/subject/CP-ISQueryStub/cP-ISNHSQuery';

const firstAsid = (communication: Tree): string => attribute(children(child(communication, 'device'), 'id')[0], 'extension');

/** The wrapper's message id and sender: what a reply is addressed by. */
const addressOf = (root: Tree): Pick<DmsQuery, 'messageId' | 'senderAsid'> => ({
  messageId: attribute(child(root, 'id'), 'root'),
  senderAsid: firstAsid(child(root, 'communicationFunctionSnd')),
});

/** An `accessEventType` as its attribute says, else as its content says. */
function accessEventType(holder: Tree): boolean | undefined {
  const flag = holder.accessEventType;
  if (flag === undefined) return undefined;
  const tree: Tree = typeof flag === 'object' ? (flag as Tree) : { '#': flag as string };
  const said = [tree['@value'], tree['#']].map((value) => collapse((value as string | undefined) ?? '')).filter(Boolean);
  if (said.length === 0 || new Set(said).size > 1) return undefined;
  return said[0] === 'true';
}

type Checked<T> = { ok: true; value: T } | { ok: false; code: DmsQueryProblem; message: string; where: string };
const refuse = (code: DmsQueryProblem, message: string, where: string): Checked<never> => ({ ok: false, code, message, where });

function nhsNumberOf(parameters: Tree): Checked<string> {
  const value = child(child(parameters, 'person.NHSnumber'), 'value');
  const nhsNumber = value['@extension'] === undefined ? '' : attribute(value, 'extension');
  const where = `${PATH}/queryByParameter/person.NHSnumber/value/@extension`;
  if (nhsNumber === '') return refuse('NO_NHS_NUMBER', 'the query names no NHS number', where);
  const check = checkNhsNumber(nhsNumber);
  return check.valid ? { ok: true, value: nhsNumber } : refuse('INVALID_NHS_NUMBER', check.reason, where);
}

function unscheduledOf(query: Tree): Checked<boolean> {
  const holders = [child(query, 'queryByParameter'), query].filter((holder) => holder.accessEventType !== undefined);
  const flags = holders.map(accessEventType);
  if (flags.includes(undefined)) {
    return refuse('INVALID_ACCESS_EVENT_TYPE', 'accessEventType says neither true nor false, or both', `${PATH}//accessEventType`);
  }
  return { ok: true, value: flags.length === 0 || flags.includes(true) };
}

function readQuery(root: Tree): Checked<DmsQuery> {
  const query = child(child(child(child(root, 'ControlActEvent'), 'subject'), 'CP-ISQueryStub'), 'cP-ISNHSQuery');
  const queryId = attribute(child(query, 'id'), 'root');
  if (!UUID.test(queryId)) return refuse('INVALID_QUERY_ID', 'the query id is not an upper-case UUID', `${PATH}/id/@root`);
  const at = isoTime(attribute(child(query, 'effectiveTime'), 'value'));
  if (at === undefined) {
    return refuse('INVALID_TIME', 'the query time is not a calendar time with minutes and a zone offset', `${PATH}/effectiveTime/@value`);
  }
  const nhsNumber = nhsNumberOf(child(query, 'queryByParameter'));
  if (!nhsNumber.ok) return nhsNumber;
  const unscheduled = unscheduledOf(query);
  if (!unscheduled.ok) return unscheduled;
  const author = readAuthor(child(query, 'author'));
  if (author.viewedBy?.name === '') return refuse('NO_AUTHOR_NAME', 'the person who asked has no name', `${PATH}/author//name`);
  return {
    ok: true,
    value: {
      ...addressOf(root),
      receiverAsid: firstAsid(children(root, 'communicationFunctionRcv')[0]),
      queryId,
      at,
      nhsNumber: nhsNumber.value,
      unscheduled: unscheduled.value,
      ...author,
    },
  };
}

/** Guard, then our schema, then reading and the checks that have codes of their own. */
export function parseDmsQuery(xml: string | Buffer, options: ParseOptions = {}): DmsQueryResult {
  const admitted = admit(xml, options.maxBytes ?? MiB);
  if (!admitted.ok) return admitted;
  const { doc, text } = admitted.value;
  try {
    const valid = validate(doc, { schema: 'dms/query', root: ROOT, namespace: HL7_NAMESPACE });
    if (!valid.ok) return valid;
  } finally {
    doc.dispose();
  }
  const root = child(parseTree(text), ROOT);
  const read = readQuery(root);
  if (read.ok) return read;
  return { ok: false, error: { code: read.code, message: read.message, details: [read.where], ...addressOf(root) } };
}

/**
 * Writes a query as a health system would, for tests: the author is the person,
 * or the system (with its nominated person when `viewedBy` is set); a silent read carries
 * `accessEventType` false in `queryByParameter`.
 */
export function buildDmsQuery(query: DmsQuery): string {
  const asker = query.viewedBy && {
    by: query.viewedBy.name,
    role: query.viewedBy.role,
    roleCode: query.viewedBy.roleCode,
    userId: query.viewedBy.id,
    roleProfileId: query.viewedBy.roleProfileId,
  };
  return spineMessage({
    interaction: 'QUPC_IN000006GB01',
    messageId: query.messageId,
    at: query.at,
    from: query.senderAsid,
    to: query.receiverAsid,
    controlAct: {
      subject: {
        'CP-ISQueryStub': {
          'cP-ISNHSQuery': {
            effectiveTime: { '@value': hl7Time(query.at) },
            id: { '@root': query.queryId },
            author: authorTemplate({ ...asker, system: query.systemAsid }, query.organisation),
            queryByParameter: {
              'person.NHSnumber': { value: { '@extension': query.nhsNumber } },
              accessEventType: query.unscheduled ? undefined : { '@value': 'false' },
            },
          },
        },
      },
    },
  });
}
