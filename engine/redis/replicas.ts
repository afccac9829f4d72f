import type { Redis } from 'ioredis';

/** Fewer replicas than asked confirmed a write in time: the caller must not answer for it (yet). */
export class ReplicationShortfall extends Error {
  readonly code = 'REPLICATION_SHORTFALL';
}

/**
 * Redis replicates asynchronously: a master that dies can take writes it has already
 * answered with it. `durably` runs some writes, then WAITs until `acks` replicas have
 * them, and throws ReplicationShortfall when they do not in time. With acks 0 it only runs them.
 *
 * WAIT counts the writes of the connection it is sent on, so it goes on the commands
 * connection the writes used (auto-pipelining keeps one socket, in order). Replication is
 * one ordered stream, so a replica with this connection's last write also has every write
 * any connection finished before it (the BullMQ connection's included). A connection that
 * was replaced meanwhile (a failover) has a WAIT that would count nothing: refused too.
 */
export class Replicas {
  private generation = 0;

  constructor(private readonly redis: Redis, private readonly acks: number, private readonly timeoutMs: number) {
    redis.on('close', () => { this.generation++; });
  }

  get required(): number {
    return this.acks;
  }

  async durably<T>(writes: () => Promise<T>): Promise<T> {
    if (this.acks === 0) return writes();
    const generation = this.generation;
    const result = await writes();
    const confirmed = await this.redis.wait(this.acks, this.timeoutMs);
    if (this.generation !== generation) throw new ReplicationShortfall('the Redis connection was replaced during the write: its replication is unknown');
    if (confirmed < this.acks) throw new ReplicationShortfall(`${confirmed} of ${this.acks} replicas confirmed the write within ${this.timeoutMs} ms`);
    return result;
  }
}
