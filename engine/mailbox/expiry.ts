import type { Redis } from 'ioredis';
import type { Logger } from 'winston';
import { Keys } from './keys.js';
import { fromHash, type StoredMessage } from './message.js';
import { reportFor } from './report.js';
import { defineMailboxScripts } from './scripts.js';
import type { Lifetimes, MailboxStore } from './store.js';

/** Told once per expired data message (its sender gets a REPORT 14), by the one hub process whose expiry won. */
export interface ExpiryObserver {
  expired(workflowId: string): void;
}

const BATCH = 500;

/**
 * Takes uncollected messages out of inboxes, sends their senders a REPORT (code 14)
 * and deletes content past retention. Safe with several hub processes: the expire
 * script lets one caller win per message, and report ids derive from the message.
 */
export class ExpirySweeper {
  constructor(
    private readonly redis: Redis,
    private readonly store: MailboxStore,
    private readonly lifetimes: Lifetimes,
    private readonly mailboxes: () => string[],
    private readonly log: Logger,
    private readonly keys = new Keys(),
    private readonly observe?: ExpiryObserver,
    /** The search index, pruned with content retention. */
    private readonly index?: { prune(now: number): Promise<number> },
  ) {
    defineMailboxScripts(redis);
  }

  /** One pass over every mailbox; returns how many messages it expired. */
  async sweep(now = Date.now()): Promise<number> {
    let expired = 0;
    for (const mailbox of this.mailboxes()) {
      expired += await this.expireDue(mailbox, now);
      await this.sendPendingReports(mailbox);
      await this.purgeDue(mailbox, now);
    }
    await this.index?.prune(now);
    return expired;
  }

  private async expireDue(mailbox: string, now: number): Promise<number> {
    const { keys } = this;
    const days = this.lifetimes.undeliveredAfterMs / 86_400_000;
    const description = `Message not collected by recipient after ${Number(days.toFixed(3))} days`;
    let expired = 0;
    for (const id of await this.redis.zrangebyscore(keys.expiry(mailbox), '-inf', now, 'LIMIT', 0, BATCH)) {
      const won = await this.redis.mailboxExpire(
        keys.meta(mailbox, id), keys.inbox(mailbox), keys.expiry(mailbox), keys.reportsPending(mailbox), id, now, description,
      );
      if (won === 1) {
        expired += 1;
        const [workflowId, type] = await this.redis.hmget(keys.meta(mailbox, id), 'workflowId', 'type');
        // A report nobody collected expires too, but only a data message earns its sender a REPORT 14.
        if (type === 'DATA') this.observe?.expired(workflowId ?? 'unknown');
        this.log.info('message expired undelivered', { messageId: id, mailbox, workflowId });
      }
    }
    return expired;
  }

  /** Reports are written in the sender's slot, so they follow the expiry as a second, idempotent step. */
  private async sendPendingReports(mailbox: string): Promise<void> {
    for (const id of await this.redis.srandmember(this.keys.reportsPending(mailbox), BATCH)) {
      const message = fromHash(await this.redis.hgetall(this.keys.meta(mailbox, id)));
      if (message) await this.report(message);
      await this.redis.srem(this.keys.reportsPending(mailbox), id);
    }
  }

  private async report(undelivered: StoredMessage): Promise<void> {
    const report = reportFor(undelivered, {
      code: '14', event: 'TRANSFER', description: undelivered.statusDescription ?? 'Message not collected by recipient',
    });
    const { duplicate } = await this.store.send(report, Buffer.alloc(0), { sendOnceWindowMs: 0 });
    if (!duplicate) {
      this.log.info('non-delivery report sent', { messageId: report.id, linkedMessageId: undelivered.id, mailbox: report.to, workflowId: report.workflowId });
    }
  }

  private async purgeDue(mailbox: string, now: number): Promise<void> {
    const { keys } = this;
    for (const id of await this.redis.zrangebyscore(keys.purge(mailbox), '-inf', now, 'LIMIT', 0, BATCH)) {
      await this.redis.mailboxPurge(keys.meta(mailbox, id), keys.body(mailbox, id), keys.inbox(mailbox), keys.expiry(mailbox), keys.purge(mailbox), id);
    }
  }
}
