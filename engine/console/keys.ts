/** The console's Redis keys; one hash tag, so the audit script's keys share a Redis Cluster slot. */
export class ConsoleKeys {
  constructor(private readonly prefix = 'cpisx:') {}

  private get base(): string {
    return `${this.prefix}{console}`;
  }

  /** Holds a digest of the session id, so a Redis dump hands out no live session. */
  session(digest: string): string { return `${this.base}:session:${digest}`; }
  failedLogins(username: string): string { return `${this.base}:failed-logins:${username}`; }
  audit(): string { return `${this.base}:audit`; }
  /** The chain's tail kept apart from the stream (hash, count, id, at), so cutting the end off is seen. */
  auditAnchor(): string { return `${this.base}:audit:anchor`; }
  auditByMessage(messageId: string): string { return `${this.base}:audit:msg:${messageId}`; }
  /** The last periodic chain check, shared by the hub processes, and the lock that lets one of them walk per interval. */
  auditCheck(): string { return `${this.base}:audit:check`; }
  auditCheckLock(): string { return `${this.base}:audit:check:lock`; }
}
