import type { Redis } from 'ioredis';
import { clusterNodes } from './cluster-nodes.js';

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
 *
 * A Cluster is one stream per master, and the client one connection per master: WAIT goes
 * on each master's connection, where it covers that connection's last write there (and
 * answers at once where it wrote nothing). Every master must have the replicas asked. A
 * node connection that ended meanwhile (its master killed) leaves its writes unknown.
 */
export class Replicas {
  private generation = 0;

  constructor(private readonly redis: Redis, private readonly acks: number, private readonly timeoutMs: number) {
    const replaced = () => { this.generation++; };
    redis.on('close', replaced);
    // A cluster's node connections do not reconnect: a lost node's connection ends and leaves the pool.
    if (redis.isCluster) redis.on('-node', replaced);
  }

  get required(): number {
    return this.acks;
  }

  async durably<T>(writes: () => Promise<T>): Promise<T> {
    if (this.acks === 0) return writes();
    const generation = this.generation;
    const result = await writes();
    const confirmed = await this.confirmed();
    if (this.generation !== generation) throw new ReplicationShortfall('the Redis connection was replaced during the write: its replication is unknown');
    if (confirmed < this.acks) throw new ReplicationShortfall(`${confirmed} of ${this.acks} replicas confirmed the write within ${this.timeoutMs} ms`);
    return result;
  }

  /** The replicas that have the writes: on a cluster, the fewest any master reports. */
  private async confirmed(): Promise<number> {
    const masters = await clusterNodes(this.redis);
    if (!masters) return this.redis.wait(this.acks, this.timeoutMs);
    if (masters.length === 0) return 0;
    // A master whose connection fails cannot say its writes are held: none confirmed there.
    const counts = await Promise.all(masters.map((node) => node.wait(this.acks, this.timeoutMs).catch(() => 0)));
    return Math.min(...counts);
  }
}
