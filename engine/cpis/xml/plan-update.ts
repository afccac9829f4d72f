import type { PlanAction, PlanRecord, PlanUpdateFile, SubjectRole } from '../types.js';
import { defineCodec, MiB } from './codec.js';
import {
  readLocalAuthority,
  readPerson,
  readPlanDates,
  writeLocalAuthority,
  writePerson,
  writePlanDates,
} from './common.js';
import { attribute, child, children, integer, optionalText, text, type Tree } from './tree.js';

const readRecord = (tree: Tree): PlanRecord => {
  const subject = child(tree, 'subject');
  const plan = child(tree, 'plan');
  return {
    localId: text(tree, 'localId'),
    action: text(tree, 'action') as PlanAction,
    subject: { ...readPerson(subject), role: attribute(subject, 'role') as SubjectRole },
    plan: { ...readPlanDates(plan), deleteDate: optionalText(plan, 'deleteDate') },
  };
};

const writeRecord = (record: PlanRecord): Tree => ({
  localId: record.localId,
  action: record.action,
  subject: { '@role': record.subject.role, ...writePerson(record.subject) },
  plan: { ...writePlanDates(record.plan), deleteDate: record.plan.deleteDate },
});

/** LA to hub. A whole LA's register can come in one file, hence the larger cap. */
const planUpdate = defineCodec<PlanUpdateFile>({
  schema: 'plan-update',
  root: 'planUpdate',
  maxBytes: 64 * MiB,
  repeated: ['planUpdate.records.record'],
  read: (root) => ({
    sequence: integer(root, 'sequence'),
    created: text(root, 'created'),
    la: readLocalAuthority(child(root, 'localAuthority')),
    recordCount: integer(root, 'recordCount'),
    records: children(child(root, 'records'), 'record').map(readRecord),
  }),
  write: (file) => ({
    sequence: String(file.sequence),
    created: file.created,
    localAuthority: writeLocalAuthority(file.la),
    recordCount: String(file.recordCount),
    records: { record: file.records.map(writeRecord) },
  }),
});

export const parsePlanUpdate = planUpdate.parse;
export const buildPlanUpdate = planUpdate.build;
