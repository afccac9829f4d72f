import type { AccessNotification } from '../types.js';
import { defineCodec } from './codec.js';
import {
  readCareSetting,
  readClinician,
  readPerson,
  readPlanDates,
  writeCareSetting,
  writeClinician,
  writePerson,
  writePlanDates,
} from './common.js';
import { child, children, optionalChild, optionalText, text, type Tree } from './tree.js';

/** Hub to each LA with an open plan for the patient. */
const accessNotification = defineCodec<AccessNotification>({
  schema: 'access-notification',
  root: 'accessNotification',
  repeated: ['accessNotification.plan'],
  read: (root) => ({
    attendanceId: text(root, 'attendanceId'),
    subject: readPerson(child(root, 'subject')),
    plans: children(root, 'plan').map((plan: Tree) => ({ ...readPlanDates(plan), localId: text(plan, 'localId'), uploadFile: optionalText(plan, 'uploadFile') })),
    arrival: text(root, 'arrival'),
    careSetting: readCareSetting(child(root, 'careSetting')),
    viewedBy: optionalChild(root, 'viewedBy', readClinician),
  }),
  write: (value) => ({
    attendanceId: value.attendanceId,
    subject: writePerson(value.subject),
    plan: value.plans.map((plan) => ({ ...writePlanDates(plan), localId: plan.localId, uploadFile: plan.uploadFile })),
    arrival: value.arrival,
    careSetting: writeCareSetting(value.careSetting),
    viewedBy: value.viewedBy && writeClinician(value.viewedBy),
  }),
});

export const parseAccessNotification = accessNotification.parse;
export const buildAccessNotification = accessNotification.build;
