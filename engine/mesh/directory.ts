import type { HubConfig } from '../config/load.js';
import { DEFAULT_MAX_MESSAGE_BYTES, type Organisation, type WireFormat, type WorkflowConfig } from '../config/schema.js';
import { MeshError } from './errors.js';

export interface MailboxEntry {
  id: string;
  name: string;
  password: string;
  organisation: Organisation;
  format: WireFormat;
}

/**
 * Who may send and receive what: the mailboxes, organisations and workflow
 * permissions from configuration, answered without I/O.
 */
export class Directory {
  private readonly mailboxes = new Map<string, MailboxEntry>();
  private readonly workflows = new Map<string, WorkflowConfig>();
  private readonly organisations = new Map<string, Organisation>();

  constructor(config: Pick<HubConfig, 'organisations' | 'mailboxes' | 'workflows'>) {
    for (const o of config.organisations) this.organisations.set(o.ods, o);
    for (const m of config.mailboxes) {
      const organisation = this.organisations.get(m.organisation)!;
      this.mailboxes.set(m.id, { id: m.id, name: m.name ?? `${organisation.name} ${m.id}`, password: m.password, organisation, format: m.format });
    }
    for (const w of config.workflows) this.workflows.set(w.id, w);
  }

  mailbox(id: string): MailboxEntry | undefined {
    return this.mailboxes.get(id);
  }

  allMailboxes(): MailboxEntry[] {
    return [...this.mailboxes.values()];
  }

  organisation(ods: string): Organisation | undefined {
    return this.organisations.get(ods);
  }

  workflow(id: string): WorkflowConfig | undefined {
    return this.workflows.get(id);
  }

  /** The largest message of a workflow, inflated and whole; a workflow since removed from configuration gets the general limit. */
  maxMessageBytes(workflowId: string): number {
    return this.workflows.get(workflowId)?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  workflowIds(): string[] {
    return [...this.workflows.keys()];
  }

  /** Throws the MESH error (12, 16 or 17) that forbids this send, in the order MESH checks them. */
  checkSend(from: string, to: string, workflowId: string): { recipient: MailboxEntry; workflow: WorkflowConfig } {
    const recipient = this.mailboxes.get(to);
    if (!recipient) throw new MeshError('UNREGISTERED_RECIPIENT', `no mailbox ${to}`);
    const workflow = this.workflows.get(workflowId);
    if (!workflow || !listed(workflow.senders, from)) {
      throw new MeshError('SENDER_NOT_ALLOWED', `${from} may not send workflow ${workflowId}`);
    }
    if (!listed(workflow.recipients, to)) {
      throw new MeshError('WORKFLOW_NOT_REGISTERED', `${to} does not receive workflow ${workflowId}`);
    }
    return { recipient, workflow };
  }

  /** Mailboxes of the organisation with this ODS code that receive the workflow. */
  endpointLookup(ods: string, workflowId: string): MailboxEntry[] {
    return this.workflowSearch(workflowId).filter((m) => m.organisation.ods === ods);
  }

  /** Every mailbox that receives the workflow. */
  workflowSearch(workflowId: string): MailboxEntry[] {
    const workflow = this.workflows.get(workflowId);
    if (!workflow) return [];
    return this.allMailboxes().filter((m) => listed(workflow.recipients, m.id));
  }
}

function listed(list: string[], id: string): boolean {
  return list.includes('*') || list.includes(id);
}
