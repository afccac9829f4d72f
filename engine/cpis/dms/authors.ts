/**
 * The two author templates of a CP-IS query (§5): the person who asked (COCT_TP145102GB01
 * AssignedAuthor), or the system that asked (COCT_TP145104GB01 System) with, when it names one,
 * the nominated person responsible for its queries. Written into access notifications and query
 * responses from what the access history keeps, and read from a query.
 */
import type { Access, Accessor } from '../types.js';
import { attribute, child, children, type Node, type Tree } from '../xml/tree.js';
import { collapse } from '../xml/values.js';
import { contentId, OID, organisationId } from './hl7.js';
import { AUTHOR_TEMPLATE } from './vocabulary.js';

/** Who asked, as the access history keeps it. */
export type Asker = Pick<Access, 'by' | 'role' | 'roleCode' | 'userId' | 'roleProfileId' | 'system'>;

export interface AuthorOrganisation {
  ods: string;
  name: string;
}

/** An ASID is required for a system author; all zeros says none is known. */
export const UNKNOWN_ASID = '000000000000';

/**
 * The job role is required as a code: without one (an attendance gives the role as text only)
 * the code is HL7's "unknown" and the text the role as given.
 */
function jobRole(asker: Asker): Tree {
  return asker.roleCode === undefined
    ? { '@code': 'UNK', '@codeSystem': OID.nullFlavor, '@displayName': asker.role ?? 'Unknown' }
    : { '@code': asker.roleCode, '@codeSystem': OID.jobRole, '@displayName': asker.role ?? asker.roleCode };
}

function sdsIds(asker: Asker): Tree[] {
  const ids = [
    ...(asker.userId === undefined ? [] : [{ '@root': OID.sdsUserId, '@extension': asker.userId }]),
    ...(asker.roleProfileId === undefined ? [] : [{ '@root': OID.sdsRoleProfile, '@extension': asker.roleProfileId }]),
  ];
  return ids.length > 0 ? ids : [{ '@nullFlavor': 'NI' }];
}

function person(asker: Asker, name: string, organisation: AuthorOrganisation): Tree {
  return {
    'npfitlc:contentId': contentId(AUTHOR_TEMPLATE.person.template),
    [AUTHOR_TEMPLATE.person.element]: {
      code: jobRole(asker),
      id: sdsIds(asker),
      assignedAuthorPerson: { name },
      representedOrganization: { id: organisationId(organisation.ods), name: organisation.name },
    },
  };
}

function system(asker: Asker, organisation: AuthorOrganisation): Tree {
  const nominated = asker.by === undefined
    ? undefined
    : { superiorAssignedEntity: { code: jobRole(asker), assignedPerson: { name: asker.by } } };
  return {
    'npfitlc:contentId': contentId(AUTHOR_TEMPLATE.system.template),
    [AUTHOR_TEMPLATE.system.element]: {
      id: { '@root': OID.asid, '@extension': asker.system ?? UNKNOWN_ASID },
      indirectAuthority: nominated,
      maintainingOrganization: { id: organisationId(organisation.ods), name: organisation.name },
    },
  };
}

/**
 * `author` content: the person when one is named and no system asked on their behalf;
 * otherwise the system, with the named person as its nominated one.
 */
export const authorTemplate = (asker: Asker, organisation: AuthorOrganisation): Tree =>
  asker.by !== undefined && asker.system === undefined ? person(asker, asker.by, organisation) : system(asker, organisation);

/** An author as a query states it. */
export interface ReadAuthor {
  organisation: AuthorOrganisation;
  /** Absent only for a system that names no nominated person. */
  viewedBy?: Accessor;
  /** The system's ASID, when a system asked. */
  systemAsid?: string;
}

const NAME_PARTS = ['prefix', 'given', 'family', 'suffix'] as const;

const words = (node: Node): string[] => {
  if (node === undefined) return [];
  if (Array.isArray(node)) return (node as readonly Node[]).flatMap(words);
  return [collapse(typeof node === 'object' ? ((node as Tree)['#'] as string | undefined) ?? '' : (node as string))];
};

/**
 * A PN as one text: text written directly in it, then prefixes, given names, family names and
 * suffixes. The order of differently named parts is not kept by the tree, and this is the
 * order a UK name is read in; delimiters are left out.
 */
function personName(name: Node): string {
  const tree: Tree = typeof name === 'object' && !Array.isArray(name) ? (name as Tree) : { '#': name as string | undefined };
  return [tree['#'], ...NAME_PARTS.map((part) => tree[part])].flatMap(words).filter(Boolean).join(' ');
}

const organisationOf = (tree: Tree): AuthorOrganisation => ({
  ods: attribute(child(tree, 'id'), 'extension'),
  name: words(tree.name).join(' '),
});

const role = (code: Tree) => ({ role: attribute(code, 'displayName'), roleCode: attribute(code, 'code') });

function readPerson(author: Tree): ReadAuthor {
  const ids = children(author, 'id');
  const id = (root: string) => {
    const found = ids.find((i) => attribute(i, 'root') === root);
    return found && attribute(found, 'extension');
  };
  return {
    organisation: organisationOf(child(author, 'representedOrganization')),
    viewedBy: {
      name: personName(child(author, 'assignedAuthorPerson').name),
      ...role(child(author, 'code')),
      id: id(OID.sdsUserId),
      roleProfileId: id(OID.sdsRoleProfile),
    },
  };
}

/** The first nominated person is the one responsible: the template allows more, and Spine names one. */
function readSystem(author: Tree): ReadAuthor {
  const asid = attribute(child(author, 'id'), 'extension');
  const nominated = children(author, 'indirectAuthority')[0];
  const entity = nominated && child(nominated, 'superiorAssignedEntity');
  return {
    organisation: organisationOf(child(author, 'maintainingOrganization')),
    viewedBy: entity && { name: personName(child(entity, 'assignedPerson').name), ...role(child(entity, 'code')), system: asid },
    systemAsid: asid,
  };
}

/** Dotted paths (from `author`) of the elements that repeat, for treeParser. */
export const AUTHOR_REPEATED = [`${AUTHOR_TEMPLATE.person.element}.id`, `${AUTHOR_TEMPLATE.system.element}.indirectAuthority`];

/** The content of an `author` the schema has checked. */
export const readAuthor = (author: Tree): ReadAuthor =>
  author[AUTHOR_TEMPLATE.person.element] !== undefined
    ? readPerson(child(author, AUTHOR_TEMPLATE.person.element))
    : readSystem(child(author, AUTHOR_TEMPLATE.system.element));
