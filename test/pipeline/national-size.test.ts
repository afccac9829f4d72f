import { nhsNumbers } from '../../scripts/sample-exchange.js';
import type { TestHub } from '../support/hub.js';
import { client, collect, LA709, nationalPlanFile, nationalRecord, sampleWorkflows, startCpisHub } from '../support/cpis.js';

/**
 * HL7 v3 takes about 2.7 times the bytes of the hub's own dialect per record, so a national
 * file of 100,000 records (about 103 MiB) is past the 64 MiB the native codec allows. The plan
 * update workflow's configured limit is what decides how large a national file may be.
 */
const MiB = 1024 * 1024;
let hub: TestHub;
beforeAll(async () => {
  const workflows = sampleWorkflows().map((w) => (w.id === 'CPIS_PLAN_UPDATE' ? { ...w, maxMessageBytes: 80 * MiB } : w));
  hub = await startCpisHub({}, { overrides: { workflows } });
});
afterAll(() => hub.stop());

test('a national upload over 64 MiB is read when the plan update workflow allows its size', async () => {
  const [child] = nhsNumbers(1);
  const file = nationalPlanFile(LA709, '2301', [nationalRecord(child)]);
  // Made large by comments (many small ones: libxml2 refuses a single node over 10 MB): what
  // is read is still one record, so only the size is new.
  const comment = `<!--${'x'.repeat(1017)}-->\n`;
  const large = file.replace('</File>', `${comment.repeat(65 * 1024 + 1)}</File>`);
  expect(Buffer.byteLength(large)).toBeGreaterThan(65 * MiB);
  const bradford = client(hub, 'LA709CSC');
  await bradford.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: large, localId: 'nat-large' });
  const [ack] = await collect(bradford, 1, 60_000);
  expect(ack.text).toMatch(/<id extension="2301"\/>/);
  expect(ack.text).toContain('code="CPF02"');
  expect(ack.text).toMatch(/<successfulReturnedCP-ISRecords>\s*<value value="1"\/>/);
}, 120_000);
