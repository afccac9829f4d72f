import { readBody } from '../mailbox/read-body.js';
import type { MailboxStore } from '../mailbox/store.js';
import type { Directory } from '../mesh/directory.js';
import type { EditLinks, EditReplay } from '../operations/edit-replay.js';
import { OperationError, type FailedMessage, type FailedMessages, type FoundMessage } from '../operations/failed-messages.js';
import type { Attempt, AttemptLog } from '../pipeline/attempt-log.js';
import type { AuditLog } from './audit.js';
import { ConsoleError } from './errors.js';
import { buildJourney, gatherReplies, type JourneyStep } from './journey.js';
import { maskMessage, maskNhsNumber } from './masking.js';
import { prettyXml } from './pretty-xml.js';

export interface FailedSummary extends Omit<FailedMessage, 'attempts'> {
  attempts: number;
  /** The first NHS number the message names, masked. */
  nhsNumber?: string;
}

export interface MessageDetail extends EditLinks {
  message: { id: string; from?: string; to: string; workflowId: string; localId?: string; status: string; receivedAt: string; size: number };
  failed: boolean;
  reason?: string;
  attempts: Attempt[];
  journey: JourneyStep[];
  xml: string;
  masked: true;
}

export function summarise(found: FoundMessage): FailedSummary {
  const { attempts, nhsNumbers, ...rest } = found;
  return { ...rest, attempts: attempts.length, ...(nhsNumbers[0] ? { nhsNumber: maskNhsNumber(nhsNumbers[0]) } : {}) };
}

export interface MessageViewDeps {
  store: MailboxStore;
  directory: Directory;
  attempts: AttemptLog;
  audit: AuditLog;
  failed?: FailedMessages;
  edits?: EditReplay;
}

/**
 * A message as staff read it: metadata, attempts, journey and its text, always
 * masked. The unmasked text is a separate call, which the API allows admins and audits.
 */
export class MessageViews {
  constructor(private readonly deps: MessageViewDeps) {}

  async detail(messageId: string): Promise<MessageDetail> {
    const { deps } = this;
    const message = await this.find(messageId);
    const laCodes = [...new Set(deps.directory.allMailboxes().filter((m) => m.organisation.kind === 'la').map((m) => m.organisation.ods))];
    const [text, attempts, replies, actions, failure, links] = await Promise.all([
      this.text(messageId),
      deps.attempts.list(messageId),
      gatherReplies(deps.store, message, laCodes),
      deps.audit.list({ messageId, limit: 1000 }),
      this.failure(messageId),
      deps.edits?.links(messageId) ?? {},
    ]);
    const masked = maskMessage(text);
    const journey = buildJourney({ message, attempts, replies, actions: actions.items });
    return {
      message: {
        id: message.id, from: message.from, to: message.to, workflowId: message.workflowId, localId: message.localId,
        status: message.status, receivedAt: new Date(message.createdAt).toISOString(), size: message.size,
      },
      failed: failure !== undefined,
      ...(failure?.reason ? { reason: failure.reason } : {}),
      attempts: attempts.map((a) => ({ ...a, error: masked.text(a.error) })),
      journey: journey.map((s) => (s.detail ? { ...s, detail: masked.text(s.detail) } : s)),
      xml: prettyXml(masked.xml),
      masked: true,
      ...links,
    };
  }

  async unmasked(messageId: string): Promise<string> {
    await this.find(messageId);
    return prettyXml(await this.text(messageId));
  }

  private async find(messageId: string) {
    const message = await this.deps.store.locate(messageId);
    if (!message) throw new ConsoleError('NOT_FOUND', `no message ${messageId}`);
    return message;
  }

  /**
   * Empty once the content has passed retention (or for a REPORT, which has none), and for
   * content over its workflow's size limit, which is never inflated (its attempts say why).
   */
  private async text(messageId: string): Promise<string> {
    const message = await this.find(messageId);
    const body = await readBody(this.deps.store, message.to, message, this.deps.directory.maxMessageBytes(message.workflowId));
    return body instanceof Buffer ? body.toString('utf8') : '';
  }

  private async failure(messageId: string): Promise<FailedMessage | undefined> {
    if (!this.deps.failed) return undefined;
    return this.deps.failed.show(messageId).catch((err: unknown) => {
      if (err instanceof OperationError) return undefined;
      throw err;
    });
  }
}
