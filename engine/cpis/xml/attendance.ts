import type { Attendance } from '../types.js';
import { defineCodec } from './codec.js';
import {
  readCareSetting,
  readClinician,
  readPerson,
  writeCareSetting,
  writeClinician,
  writePerson,
} from './common.js';
import { child, optionalChild, text } from './tree.js';

/** Trust PAS to hub. */
const attendance = defineCodec<Attendance>({
  schema: 'attendance',
  root: 'attendance',
  read: (root) => ({
    attendanceId: text(root, 'attendanceId'),
    arrival: text(root, 'arrival'),
    careSetting: readCareSetting(child(root, 'careSetting')),
    patient: readPerson(child(root, 'patient')),
    viewedBy: optionalChild(root, 'viewedBy', readClinician),
  }),
  write: (value) => ({
    attendanceId: value.attendanceId,
    arrival: value.arrival,
    careSetting: writeCareSetting(value.careSetting),
    patient: writePerson(value.patient),
    viewedBy: value.viewedBy && writeClinician(value.viewedBy),
  }),
});

export const parseAttendance = attendance.parse;
export const buildAttendance = attendance.build;
