import type { MessageDetail } from '../../engine/console/message-view.js';
import { when } from './formats.js';
import { fields, table } from './table.js';

/** `failed show`: metadata, attempts, journey, then the text, masked unless `unmasked` is given. */
export function renderMessage(detail: MessageDetail, width: number, unmasked?: string): string {
  const m = detail.message;
  const head = fields([
    ['Message', m.id], ['From', m.from], ['To', m.to], ['Workflow', m.workflowId], ['Local id', m.localId],
    ['Status', m.status], ['Received', when(m.receivedAt)], ['Size', `${m.size} bytes`],
    ['Failed', detail.failed ? `yes: ${detail.reason ?? 'no reason recorded'}` : 'no'],
    ['Edited from', detail.editedFrom], ['Edited copy', detail.editedCopy],
  ]);
  const attempts = detail.attempts.length === 0 ? '(none)' : table([
    { header: '#', value: (a) => a.attempt, align: 'right' },
    { header: 'AT', value: (a) => when(a.at) },
    { header: 'CODE', value: (a) => a.code },
    { header: 'KIND', value: (a) => (a.permanent ? 'permanent' : 'transient') },
    { header: 'ERROR', value: (a) => a.error, shrink: true },
  ], detail.attempts, width);
  const journey = table([
    { header: 'AT', value: (s) => when(s.at) },
    { header: 'EVENT', value: (s) => s.event },
    { header: 'MESSAGE', value: (s) => s.messageId },
    { header: 'DETAIL', value: (s) => s.detail, shrink: true },
  ], detail.journey, width);
  const text = unmasked === undefined ? ['Text (masked)', detail.xml] : ['Text (UNMASKED: this view was audited)', unmasked];
  return [head, '', 'Attempts', attempts, '', 'Journey', journey, '', text[0], text[1]].join('\n');
}
