import type { FlaggedPlan, FlagResponse } from '../types.js';
import { defineCodec } from './codec.js';
import { readLocalAuthority, readPlanDates, writeLocalAuthority, writePlanDates } from './common.js';
import { child, children, text, type Tree } from './tree.js';

const readPlan = (tree: Tree): FlaggedPlan => ({
  ...readPlanDates(tree),
  la: readLocalAuthority(child(tree, 'localAuthority')),
});

const writePlan = (plan: FlaggedPlan): Tree => ({
  ...writePlanDates(plan),
  localAuthority: writeLocalAuthority(plan.la),
});

/** Hub to trust; no plans means the patient is not flagged. */
const flagResponse = defineCodec<FlagResponse>({
  schema: 'flag-response',
  root: 'flagResponse',
  repeated: ['flagResponse.plan'],
  read: (root) => ({
    attendanceId: text(root, 'attendanceId'),
    nhsNumber: text(root, 'nhsNumber'),
    plans: children(root, 'plan').map(readPlan),
  }),
  write: (response) => ({
    attendanceId: response.attendanceId,
    nhsNumber: response.nhsNumber,
    plan: response.plans.map(writePlan),
  }),
});

export const parseFlagResponse = flagResponse.parse;
export const buildFlagResponse = flagResponse.build;
