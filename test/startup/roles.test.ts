import { randomUUID } from 'node:crypto';
import { SAMPLE_CONFIG } from '../support/cpis.js';
import { deleteKeys } from '../support/hub.js';
import { spawnHub } from '../support/hub-process.js';

/** A worker-only process still answers the probes and the metrics scrape, and nothing else. */
test('a --role worker process serves health and metrics, not the MESH API or the console', async () => {
  const prefix = `test:roles:${randomUUID().slice(0, 8)}:`;
  const worker = await spawnHub(SAMPLE_CONFIG, { REDIS_KEY_PREFIX: prefix }, 'worker');
  try {
    expect((await fetch(`${worker.url}/health/ready`)).status).toBe(200);
    const metrics = await fetch(`${worker.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('cpisx_queue_jobs');
    expect((await fetch(`${worker.url}/messageexchange/X26HUB`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${worker.url}/console`)).status).toBe(404);
  } finally {
    expect(await worker.stop()).toBe(0);
    await deleteKeys(`${prefix}*`);
  }
}, 60_000);
