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

  /**
   * Returns the attempt's number: its place in the whole history, which goes on counting
   * across replays (BullMQ's own count starts again at each replay).
   */
  async record(messageId: string, attempt: Omit<Attempt, 'attempt'>): Promise<number> {
    return this.redis.rpush(this.key(messageId), JSON.stringify(attempt));
  }

  async list(messageId: string): Promise<Attempt[]> {
    return (await this.redis.lrange(this.key(messageId), 0, -1)).map((line, i) => ({ ...JSON.parse(line) as Attempt, attempt: i + 1 }));
  }
}
