import { client, collect, LA706, NHS, planFile, planRecord, startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { sample, scrape, scrapeUntil } from '../support/scrape.js';

describe('/metrics', () => {
  let hub: TestHub;
  beforeAll(async () => { hub = await startCpisHub(); });
  afterAll(() => hub.stop());

  test('answers in the Prometheus text format with every family, before any traffic', async () => {
    const { status, type, text } = await scrape(hub);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const family of ['cpisx_messages_accepted_total', 'cpisx_messages_delivered_total', 'cpisx_messages_failed_total',
      'cpisx_messages_replayed_total', 'cpisx_processing_seconds', 'cpisx_queue_jobs', 'cpisx_inbox_depth', 'cpisx_inbox_oldest_age_seconds']) {
      expect(text).toContain(`# TYPE ${family} `);
    }
    expect(sample(text, 'cpisx_inbox_depth', { mailbox: 'LA706CSC' })).toBe(0);
    expect(sample(text, 'cpisx_queue_jobs', { queue: 'attendance', state: 'failed' })).toBe(0);
  });

  test('counts what is accepted, processed (with its latency) and delivered, by workflow; inbox depth and age follow the inbox', async () => {
    const la = client(hub, 'LA706CSC');
    await la.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA706, 1, [planRecord(NHS[0])]), localId: 'M-PLAN' });
    // The acknowledgement waits in the LA's inbox; the plan update's processing is timed once it is done.
    const waiting = await scrapeUntil(hub, (t) => sample(t, 'cpisx_processing_seconds_count', { workflow: 'CPIS_PLAN_UPDATE' }) === 1);
    expect(sample(waiting, 'cpisx_messages_accepted_total', { workflow: 'CPIS_PLAN_UPDATE' })).toBe(1);
    expect(sample(waiting, 'cpisx_inbox_depth', { mailbox: 'LA706CSC' })).toBe(1);
    expect(sample(waiting, 'cpisx_inbox_oldest_age_seconds', { mailbox: 'LA706CSC' })).toBeGreaterThanOrEqual(0);
    expect(sample(waiting, 'cpisx_messages_delivered_total', { workflow: 'CPIS_PLAN_UPDATE_ACK' })).toBeUndefined();

    await collect(la, 1);
    const delivered = await scrapeUntil(hub, (t) => sample(t, 'cpisx_messages_delivered_total', { workflow: 'CPIS_PLAN_UPDATE_ACK' }) === 1);
    expect(sample(delivered, 'cpisx_inbox_depth', { mailbox: 'LA706CSC' })).toBe(0);
  });

  test('counts a message held as failed by workflow and reason, shows it in the queue depths, and counts its replay', async () => {
    await client(hub, 'RR8PAS').send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: '<not-xml', localId: 'M-BAD' });
    const held = await scrapeUntil(hub, (t) => sample(t, 'cpisx_queue_jobs', { queue: 'attendance', state: 'failed' }) === 1);
    expect(sample(held, 'cpisx_messages_failed_total', { workflow: 'CPIS_ATTENDANCE', reason: 'NOT_READABLE' })).toBe(1);
    expect(sample(held, 'cpisx_messages_accepted_total', { workflow: 'CPIS_ATTENDANCE' })).toBe(1);

    const [failed] = await hub.failed!.list();
    await hub.failed!.replay(failed.messageId);
    const replayed = await scrapeUntil(hub, (t) => sample(t, 'cpisx_messages_replayed_total', { workflow: 'CPIS_ATTENDANCE' }) === 1);
    expect(replayed).toContain('cpisx_messages_replayed_total');
  });
});
