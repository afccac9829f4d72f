import type { Redis } from 'ioredis';
import type { ProcessingErrorCode } from './processing-error.js';

export interface Attempt {
  attempt: number;
  at: string;
  code: ProcessingErrorCode;
  permanent: boolean;
  error: string;
}

/**
 * Every failed attempt of a message, written before BullMQ retries the job
 * (a retry clears the job's own failure reason), so staff see the whole story.
 */
export class AttemptLog {
  constructor(private readonly redis: Redis, private readonly prefix = 'cpisx:') {}

  private key(messageId: string): string {
    return `${this.prefix}{ops}:attempts:${messageId}`;
  }

  async record(messageId: string, attempt: Attempt): Promise<void> {
    await this.redis.rpush(this.key(messageId), JSON.stringify(attempt));
  }

  async list(messageId: string): Promise<Attempt[]> {
    return (await this.redis.lrange(this.key(messageId), 0, -1)).map((line) => JSON.parse(line) as Attempt);
  }
}
