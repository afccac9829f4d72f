import type { Redis } from 'ioredis';
import type { CpisSettings } from '../config/schema.js';
import { HL7_NAMESPACE } from '../cpis/dms/hl7.js';
import { parseDmsUpload } from '../cpis/dms/upload.js';
import { recognise, rootOf, type DocumentKind } from '../cpis/recognise.js';
import { parseAttendance } from '../cpis/xml/attendance.js';
import { parsePlanUpdate } from '../cpis/xml/plan-update.js';
import { fail, type Result } from '../cpis/xml/result.js';
import { NAMESPACE } from '../cpis/xml/schemas.js';
import type { Logger } from '../log.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Arrivals } from '../pipeline/arrivals.js';
import { OperationError, type FailedMessages } from './failed-messages.js';

export interface EditLinks {
  /** On an edited copy: the message it was made from. */
  editedFrom?: string;
  /** On an original: the copy made from it. */
  editedCopy?: string;
}

export interface EditReplayDeps {
  redis: Redis;
  prefix: string;
  failed: FailedMessages;
  store: MailboxStore;
  arrivals: Arrivals;
  settings: CpisSettings;
  log: Logger;
}

/** The copy's id derives from the original's, so doing it twice (a crash, a double click) stores one copy. */
export const editedId = (originalId: string) => `${originalId}_EDIT`;

/** A document staff may put on a workflow, and the check it must pass. */
interface Editable {
  kind: DocumentKind;
  root: string;
  parse: (xml: string) => Result<unknown>;
}

const NATIVE_PLAN_UPDATE: Editable = { kind: { format: 'native', message: 'planUpdate' }, root: `{${NAMESPACE}}planUpdate`, parse: parsePlanUpdate };
const DMS_UPLOAD: Editable = { kind: { format: 'dms', message: 'File' }, root: `{${HL7_NAMESPACE}}File`, parse: parseDmsUpload };
const ATTENDANCE: Editable = { kind: { format: 'native', message: 'attendance' }, root: `{${NAMESPACE}}attendance`, parse: parseAttendance };

const sameKind = (a: DocumentKind, b: DocumentKind | undefined) => a.format === b?.format && a.message === b.message;

/**
 * The edit is checked as what it is, among the documents its workflow takes: a plan update
 * may come in either format (a national `File` against dms/upload.xsd). Anything else is
 * refused by the first one's check, which says what is wrong with it, naming every root the
 * workflow would take.
 */
function check(allowed: readonly Editable[], xml: string): Result<unknown> {
  const kind = recognise(xml);
  const chosen = allowed.find((e) => sameKind(e.kind, kind));
  if (chosen) return chosen.parse(xml);
  const checked = allowed[0].parse(xml);
  const root = rootOf(xml);
  if (checked.ok || checked.error.code !== 'WRONG_DOCUMENT' || allowed.length === 1 || !root) return checked;
  return fail('WRONG_DOCUMENT', `expected the root element ${allowed.map((e) => e.root).join(' or ')}, found {${root.namespace ?? ''}}${root.name}`);
}

/**
 * A failed message corrected by staff: the edit must pass its workflow's schema; it
 * goes into the hub's inbox as a new message from the same sender (replies then
 * reach that sender as for the original), linked both ways. The original leaves the
 * failed list and the inbox, and stays readable.
 */
export class EditReplay {
  constructor(private readonly deps: EditReplayDeps) {}

  private key(kind: 'copy' | 'from', id: string): string {
    return `${this.deps.prefix}{ops}:edited-${kind}:${id}`;
  }

  async edit(originalId: string, xml: string): Promise<{ messageId: string; editedFrom: string }> {
    const { store, settings, failed, arrivals } = this.deps;
    await failed.show(originalId);
    const original = (await store.get(settings.hubMailbox, originalId))!;
    const checked = check(this.editable(original.workflowId, originalId), xml);
    if (!checked.ok) throw new OperationError('SCHEMA_INVALID', originalId, [checked.error.message, ...checked.error.details]);
    const messageId = editedId(originalId);
    await store.send({
      id: messageId, from: original.from, to: settings.hubMailbox, workflowId: original.workflowId, type: 'DATA', totalChunks: 1,
      localId: original.localId, subject: original.subject, fileName: original.fileName, contentType: 'application/xml', linkedMsgId: originalId,
    }, Buffer.from(xml, 'utf8'), { sendOnceWindowMs: 0 });
    await this.deps.redis.multi().set(this.key('copy', originalId), messageId).set(this.key('from', messageId), originalId).exec();
    await arrivals.enqueue(messageId, original.workflowId);
    await failed.release(originalId);
    this.deps.log.info('failed message edited and replayed', { messageId: originalId, copy: messageId, workflowId: original.workflowId });
    return { messageId, editedFrom: originalId };
  }

  async links(messageId: string): Promise<EditLinks> {
    const [editedFrom, editedCopy] = await this.deps.redis.mget(this.key('from', messageId), this.key('copy', messageId));
    return { ...(editedFrom ? { editedFrom } : {}), ...(editedCopy ? { editedCopy } : {}) };
  }

  private editable(workflowId: string, messageId: string): readonly Editable[] {
    const { workflows } = this.deps.settings;
    if (workflowId === workflows.planUpdate) return [NATIVE_PLAN_UPDATE, DMS_UPLOAD];
    if (workflowId === workflows.attendance) return [ATTENDANCE];
    throw new OperationError('NOT_EDITABLE', messageId);
  }
}
