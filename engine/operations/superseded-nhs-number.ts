import type { CpisSettings, WireFormat } from '../config/schema.js';
import { buildDmsInactiveNhsNumber, inactiveNotificationId } from '../cpis/dms/inactive-nhs-number.js';
import { checkNhsNumber } from '../cpis/nhs-number.js';
import type { InactiveNhsNumberNotice } from '../cpis/types.js';
import { buildInactiveNhsNumber } from '../cpis/xml/inactive-nhs-number.js';
import type { Logger } from '../log.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Directory } from '../mesh/directory.js';
import type { Register } from '../register/register.js';

export type SupersededErrorCode = 'INVALID_NHS_NUMBER' | 'SAME_NHS_NUMBER';

export interface SupersededError {
  code: SupersededErrorCode;
  /** Names which number is wrong and why, never the number itself. */
  message: string;
}

export interface Notified {
  la: string;
  mailbox: string;
  format: WireFormat;
  messageId: string;
  records: number;
  /** True when an earlier run had sent this notification already: nothing new was sent. */
  alreadySent: boolean;
}

export interface NotNotified {
  la: string;
  records: number;
  reason: 'NO_MAILBOX';
  message: string;
}

export interface SupersededSummary {
  /** Records held for the old number, over every LA. */
  records: number;
  notified: Notified[];
  notNotified: NotNotified[];
}

export type SupersededOutcome = { ok: true; value: SupersededSummary } | { ok: false; error: SupersededError };

export interface SupersededDeps {
  register: Register;
  store: MailboxStore;
  directory: Directory;
  settings: CpisSettings;
  log: Logger;
}

/** Both numbers must be NHS numbers, and different ones. */
export function checkSuperseded(old: string, replacement: string): SupersededError | undefined {
  for (const [which, value] of [['old', old], ['new', replacement]] as const) {
    const check = checkNhsNumber(value);
    if (!check.valid) return { code: 'INVALID_NHS_NUMBER', message: `the ${which} number: ${check.reason}` };
  }
  return old === replacement ? { code: 'SAME_NHS_NUMBER', message: 'the old and new NHS numbers are the same' } : undefined;
}

/** The message that carries an LA's notice: from the notice's id, so a second run stores nothing new. */
export const supersededMessageId = (notice: InactiveNhsNumberNotice): string => `INACTIVE_${inactiveNotificationId(notice)}`;

/**
 * Support staff found `old` superseded by `replacement` (the hub has no PDS feed): each LA
 * holding records for `old` is told, in its mailbox's format, on the access notification
 * workflow. The register is left as it is; the records move when the LA re-uploads them.
 */
export async function notifySuperseded(deps: SupersededDeps, old: string, replacement: string, now = new Date()): Promise<SupersededOutcome> {
  const refused = checkSuperseded(old, replacement);
  if (refused) return { ok: false, error: refused };
  const { register, store, directory, settings, log } = deps;
  const workflowId = settings.workflows.accessNotification;
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const summary: SupersededSummary = { records: 0, notified: [], notNotified: [] };
  for (const [la, held] of await register.heldBy(old)) {
    summary.records += held.length;
    const [mailbox] = directory.endpointLookup(la, workflowId);
    if (!mailbox) {
      summary.notNotified.push({ la, records: held.length, reason: 'NO_MAILBOX', message: `LA ${la} has no mailbox for ${workflowId}` });
      continue;
    }
    const notice: InactiveNhsNumberNotice = {
      nhsNumber: old,
      replacement,
      at,
      la: { ods: la, name: directory.organisation(la)?.name ?? la },
      records: held.map((r) => ({ type: r.type, localId: r.localId, uploadFile: r.uploadFile })),
    };
    const xml = mailbox.format === 'dms' ? buildDmsInactiveNhsNumber(notice) : buildInactiveNhsNumber(notice);
    const sent = await store.send({
      id: supersededMessageId(notice), from: settings.hubMailbox, to: mailbox.id, workflowId, type: 'DATA', totalChunks: 1,
      subject: `inactive NHS number notification for LA ${la}`, contentType: 'application/xml',
    }, Buffer.from(xml, 'utf8'), { sendOnceWindowMs: 0, nhsNumbers: [old, replacement] });
    log.info('inactive NHS number notification sent', { messageId: sent.id, mailbox: mailbox.id, workflowId, duplicate: sent.duplicate });
    summary.notified.push({ la, mailbox: mailbox.id, format: mailbox.format, messageId: sent.id, records: held.length, alreadySent: sent.duplicate });
  }
  return { ok: true, value: summary };
}
