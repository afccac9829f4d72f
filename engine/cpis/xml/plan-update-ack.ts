import type { FileStatus, PlanUpdateAck, RecordCode, RecordResult } from '../types.js';
import { defineCodec, MiB } from './codec.js';
import { children, integer, optionalText, text, type Tree } from './tree.js';

const readResult = (tree: Tree): RecordResult => ({
  position: integer(tree, 'position'),
  localId: text(tree, 'localId'),
  code: text(tree, 'code') as RecordCode,
  detail: optionalText(tree, 'detail'),
  reason: optionalText(tree, 'reason'),
});

const writeResult = (result: RecordResult): Tree => ({
  position: String(result.position),
  localId: result.localId,
  code: result.code,
  detail: result.detail,
  reason: result.reason,
});

/** Hub to LA. One result per record of a plan update file, so sized like one. */
const planUpdateAck = defineCodec<PlanUpdateAck>({
  schema: 'plan-update-ack',
  root: 'planUpdateAck',
  maxBytes: 64 * MiB,
  repeated: ['planUpdateAck.result'],
  read: (root) => ({
    sequence: integer(root, 'sequence'),
    status: text(root, 'status') as FileStatus,
    recordsProcessed: integer(root, 'recordsProcessed'),
    reason: optionalText(root, 'reason'),
    results: children(root, 'result').map(readResult),
  }),
  write: (ack) => ({
    sequence: String(ack.sequence),
    status: ack.status,
    recordsProcessed: String(ack.recordsProcessed),
    reason: ack.reason,
    result: ack.results.map(writeResult),
  }),
});

export const parsePlanUpdateAck = planUpdateAck.parse;
export const buildPlanUpdateAck = planUpdateAck.build;
