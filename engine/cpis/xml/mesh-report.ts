import type { MeshReport } from '../types.js';
import { defineCodec } from './codec.js';
import { optionalText, text } from './tree.js';

/** Adapter to the trust's or LA's system: a MESH REPORT, written from its headers. */
const meshReport = defineCodec<MeshReport>({
  schema: 'mesh-report',
  root: 'meshReport',
  read: (root) => ({
    reportId: text(root, 'reportId'),
    code: optionalText(root, 'code'),
    description: optionalText(root, 'description'),
    event: optionalText(root, 'event'),
    time: optionalText(root, 'time'),
    linkedMessageId: optionalText(root, 'linkedMessageId'),
    localId: optionalText(root, 'localId'),
    workflowId: optionalText(root, 'workflowId'),
  }),
  write: (report) => ({
    reportId: report.reportId,
    code: report.code,
    description: report.description,
    event: report.event,
    time: report.time,
    linkedMessageId: report.linkedMessageId,
    localId: report.localId,
    workflowId: report.workflowId,
  }),
});

export const parseMeshReport = meshReport.parse;
export const buildMeshReport = meshReport.build;
