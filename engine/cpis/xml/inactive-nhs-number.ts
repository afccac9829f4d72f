import type { InactiveNhsNumberNotice, PlanType } from '../types.js';
import { defineCodec } from './codec.js';
import { child, children, optionalText, text, type Tree } from './tree.js';

/** Hub to an LA holding records for a superseded NHS number. */
const inactiveNhsNumber = defineCodec<InactiveNhsNumberNotice>({
  schema: 'inactive-nhs-number',
  root: 'inactiveNhsNumber',
  repeated: ['inactiveNhsNumber.record'],
  read: (root) => ({
    nhsNumber: text(root, 'nhsNumber'),
    replacement: text(root, 'replacement'),
    at: text(root, 'at'),
    la: { ods: text(child(root, 'localAuthority'), 'ods'), name: text(child(root, 'localAuthority'), 'name') },
    records: children(root, 'record').map((record: Tree) => ({
      type: text(record, 'type') as PlanType,
      localId: text(record, 'localId'),
      uploadFile: optionalText(record, 'uploadFile'),
    })),
  }),
  write: (notice) => ({
    nhsNumber: notice.nhsNumber,
    replacement: notice.replacement,
    at: notice.at,
    localAuthority: { ods: notice.la.ods, name: notice.la.name },
    record: notice.records.map((record) => ({ type: record.type, localId: record.localId, uploadFile: record.uploadFile })),
  }),
});

export const parseInactiveNhsNumber = inactiveNhsNumber.parse;
export const buildInactiveNhsNumber = inactiveNhsNumber.build;
