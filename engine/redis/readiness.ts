import type { Redis } from 'ioredis';

/** Longer than a healthy round trip by far; short enough that a load balancer's probe gets its answer. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * Whether the hub can take writes now: the connection is up and what it reaches is a
 * master. A connection left on a replica (a demoted master, a Sentinel mid-failover)
 * answers PING but refuses writes (READONLY), so ROLE is asked, not PING. While there is
 * no master ioredis queues commands; the timeout makes that "not ready" rather than a hang.
 */
export async function redisWritable(redis: Redis): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS); });
  const role = redis.call('ROLE').then((reply) => Array.isArray(reply) && reply[0] === 'master', () => false);
  try {
    return await Promise.race([role, late]);
  } finally {
    clearTimeout(timer);
  }
}
