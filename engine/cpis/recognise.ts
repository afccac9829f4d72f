/**
 * Which document a body is, from its root element and namespace alone, so that a worker can
 * dispatch before any full parse (and refuse a document in the wrong format for its workflow).
 * Only the root's start tag is read; the codec that is then chosen checks everything.
 */
import { HL7_NAMESPACE } from './dms/hl7.js';
import { NAMESPACE } from './xml/schemas.js';

export type DocumentKind =
  | { format: 'native'; message: NativeMessage }
  | { format: 'dms'; message: DmsMessage };

export type NativeMessage =
  | 'planUpdate'
  | 'planUpdateAck'
  | 'attendance'
  | 'flagResponse'
  | 'accessNotification'
  | 'meshReport'
  | 'inactiveNhsNumber';

export type DmsMessage =
  | 'File'
  | 'FileResponse'
  | 'CP-ISAccessToServiceNotification'
  | 'CP-ISInactiveNHSNumberNotification';

const NATIVE = new Set<string>(['planUpdate', 'planUpdateAck', 'attendance', 'flagResponse', 'accessNotification', 'meshReport', 'inactiveNhsNumber']);
const DMS = new Set<string>(['File', 'FileResponse', 'CP-ISAccessToServiceNotification', 'CP-ISInactiveNHSNumberNotification']);

/** What comes before the root: a BOM, the declaration, comments, processing instructions, white space. */
const PROLOG = /^\uFEFF?(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;
const START_TAG = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/;
const ATTRIBUTE = /([^\s=>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** Enough for any prolog a supplier writes; a root further in is not recognised. */
const LOOK = 64 * 1024;

/** The root's namespace and local name, or undefined when no start tag can be found. */
export function rootOf(body: string | Buffer): { namespace?: string; name: string } | undefined {
  const head = (typeof body === 'string' ? body.slice(0, LOOK) : body.subarray(0, LOOK).toString('utf8'));
  const rest = head.slice(PROLOG.exec(head)?.[0].length ?? 0);
  const tag = START_TAG.exec(rest);
  if (!tag) return undefined;
  const [prefix, name] = tag[1].includes(':') ? tag[1].split(':') : [undefined, tag[1]];
  const declares = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  for (const [, attribute, double, single] of tag[2].matchAll(ATTRIBUTE)) {
    if (attribute === declares) return { namespace: double ?? single, name };
  }
  return { name };
}

/** The document kind, or undefined for anything else (not XML, another namespace, an unknown root). */
export function recognise(body: string | Buffer): DocumentKind | undefined {
  const root = rootOf(body);
  if (root?.namespace === NAMESPACE && NATIVE.has(root.name)) return { format: 'native', message: root.name as NativeMessage };
  if (root?.namespace === HL7_NAMESPACE && DMS.has(root.name)) return { format: 'dms', message: root.name as DmsMessage };
  return undefined;
}
