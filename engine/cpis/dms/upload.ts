/**
 * The national upload `File` (REPC_MT000002GB01) read into plain values, as sent: plan dates
 * stay 12-digit and ids stay as they are, so that the acknowledgement can echo each record
 * exactly. records.ts maps these onto the register's PlanRecords.
 */
import { admit } from '../xml/guard.js';
import { MiB, type ParseOptions } from '../xml/codec.js';
import { ok, type Result } from '../xml/result.js';
import { attribute, child, children, optionalChild, text, treeParser, type Tree } from '../xml/tree.js';
import { validate } from '../xml/validate.js';
import { HL7_NAMESPACE, hl7Document, OID, organisationId, phoneOf, telecoms } from './hl7.js';
import { planInformation, subjectTemplate } from './templates.js';
import { SUBJECT_TEMPLATE, UPLOAD_TEMPLATE, type DmsPlanType } from './vocabulary.js';

/** Dates as sent, `yyyyMMddHHmm` in UK local time. */
export interface DmsPlan {
  type: DmsPlanType;
  start: string;
  end?: string;
  deleteDate?: string;
}

/** A `Child`, or an `UnbornChild` whose person is the mother. */
export interface DmsSubject {
  kind: 'child' | 'unborn';
  /** Absent when the subject is identified only by the LA's local id. */
  nhsNumber?: string;
  localId?: string;
  /** `assigningAuthorityName` of the local id, e.g. `709:BRADFORD MDC`. */
  localIdAuthority?: string;
  /** HL7 TS as sent. */
  birthTime: string;
  givenName: string;
  familyName: string;
}

export interface DmsRecord {
  /** 1-based: `/File/record[position]`. */
  position: number;
  plans: DmsPlan[];
  subjects: DmsSubject[];
}

export interface DmsOrganisation {
  ods: string;
  name: string;
  /** `WP` telecom. */
  officePhone?: string;
  /** `EC` telecom. */
  emergencyPhone?: string;
}

export interface DmsUpload {
  /** `File/id/@extension`: the LA's id for the file, echoed in the FileResponse. */
  fileId: string;
  /** `creationTime` as sent (HL7 TS). */
  created: string;
  transmissionQuantity: number;
  sender: DmsOrganisation;
  records: DmsRecord[];
}

/** Where a record is in the file, as the FileResponse's `location` gives it. */
export const recordLocation = (position: number): string => `/File/record[${position}]`;

const RECORD = 'File.record.CP-ISRecord';
const parseTree = treeParser([
  'File.record',
  'File.communicationFunctionSnd.organisation.telecom',
  `${RECORD}.pertinentInformation`,
  `${RECORD}.subject`,
  `${RECORD}.subject.${SUBJECT_TEMPLATE.child.element}.id`,
  `${RECORD}.subject.${SUBJECT_TEMPLATE.unborn.element}.parentMotherPerson.playedMother.id`,
]);

const value = (tree: Tree, name: string): string => attribute(child(tree, name), 'value');

function readPlan(information: Tree): DmsPlan {
  const type = (Object.keys(UPLOAD_TEMPLATE) as DmsPlanType[]).find((t) => information[UPLOAD_TEMPLATE[t].element] !== undefined) as DmsPlanType;
  const plan = child(information, UPLOAD_TEMPLATE[type].element);
  const date = (component: string, name: string) =>
    optionalChild(plan, component, (c) => attribute(child(child(c, `${UPLOAD_TEMPLATE[type].dates}${name}`), 'value'), 'value'));
  return {
    type,
    start: date('component', 'StartDate') as string,
    end: date('component1', 'EndDate'),
    deleteDate: date('component2', 'DeleteDate'),
  };
}

function readSubject(subject: Tree): DmsSubject {
  const childSubject = subject[SUBJECT_TEMPLATE.child.element];
  const kind = childSubject === undefined ? 'unborn' : 'child';
  const person = kind === 'child'
    ? child(subject, SUBJECT_TEMPLATE.child.element)
    : child(child(subject, SUBJECT_TEMPLATE.unborn.element), 'parentMotherPerson');
  const ids = kind === 'child' ? children(person, 'id') : children(child(person, 'playedMother'), 'id');
  const details = kind === 'child' ? child(person, 'childPerson') : person;
  const name = child(details, 'name');
  const nhs = ids.find((id) => attribute(id, 'root') === OID.nhsNumber);
  const local = ids.find((id) => attribute(id, 'root') === OID.localPersonId);
  return {
    kind,
    nhsNumber: nhs && attribute(nhs, 'extension'),
    localId: local && attribute(local, 'extension'),
    localIdAuthority: local && local['@assigningAuthorityName'] !== undefined ? attribute(local, 'assigningAuthorityName') : undefined,
    birthTime: value(details, 'birthTime'),
    givenName: text(name, 'given'),
    familyName: text(name, 'family'),
  };
}

function readOrganisation(organisation: Tree): DmsOrganisation {
  const telecoms = children(organisation, 'telecom');
  const phone = (use: string) => {
    const telecom = telecoms.find((t) => attribute(t, 'use').split(' ').includes(use));
    return telecom && phoneOf(attribute(telecom, 'value'));
  };
  return {
    ods: attribute(child(organisation, 'id'), 'extension'),
    name: text(organisation, 'name'),
    officePhone: phone('WP'),
    emergencyPhone: phone('EC'),
  };
}

function readFile(file: Tree): DmsUpload {
  return {
    fileId: attribute(child(file, 'id'), 'extension'),
    created: value(file, 'creationTime'),
    transmissionQuantity: Number(value(file, 'transmissionQuantity')),
    sender: readOrganisation(child(child(file, 'communicationFunctionSnd'), 'organisation')),
    records: children(file, 'record').map((record, index) => {
      const cpis = child(record, 'CP-ISRecord');
      return {
        position: index + 1,
        plans: children(cpis, 'pertinentInformation').map(readPlan),
        subjects: children(cpis, 'subject').map(readSubject),
      };
    }),
  };
}

/** Guard, then our schema for the national upload, then reading; a whole LA's register can come in one file. */
export function parseDmsUpload(xml: string | Buffer, options: ParseOptions = {}): Result<DmsUpload> {
  const admitted = admit(xml, options.maxBytes ?? 64 * MiB);
  if (!admitted.ok) return admitted;
  const { doc, text } = admitted.value;
  try {
    const valid = validate(doc, { schema: 'dms/upload', root: 'File', namespace: HL7_NAMESPACE });
    if (!valid.ok) return valid;
  } finally {
    doc.dispose();
  }
  return ok(readFile(child(parseTree(text), 'File')));
}

/** Writes an upload as an LA's system would: for tests, benchmarks and the demo's DMS-format LA. */
export function buildDmsUpload(upload: DmsUpload): string {
  return hl7Document('File', {
    creationTime: { '@value': upload.created },
    id: { '@extension': upload.fileId },
    transmissionQuantity: { '@value': String(upload.transmissionQuantity) },
    communicationFunctionSnd: {
      organisation: {
        id: organisationId(upload.sender.ods),
        name: upload.sender.name,
        telecom: telecoms(upload.sender.officePhone, upload.sender.emergencyPhone),
      },
    },
    record: upload.records.map((record) => ({
      'CP-ISRecord': {
        pertinentInformation: record.plans.map(planInformation),
        subject: record.subjects.map(subjectTemplate),
      },
    })),
  });
}
