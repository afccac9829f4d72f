import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadyProcess } from '../../scripts/spawn-ready.js';
import { answer } from '../cpis/dms/samples.js';
import { adapterSite, startAdapter } from '../support/adapter-process.js';
import { client, SAMPLE_CONFIG } from '../support/cpis.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { until } from '../support/wait.js';

const example = (name: string) => readFileSync(new URL(`../../schemas/examples/dms/upload/valid/${name}.xml`, import.meta.url));

/**
 * An LA whose system writes the national documents, through a real LA adapter process. The
 * hub runs without its workers (no `cpis` section) and the test answers as the hub would,
 * so what the adapter does with the file and its answer is all that is tested here.
 */
describe('the LA adapter with national (DMS) files', () => {
  let hub: TestHub;
  let adapter: ReadyProcess;
  let plans: string;

  beforeAll(async () => {
    hub = await startTestHub({ cpis: undefined }, { file: SAMPLE_CONFIG });
    const site = adapterSite('la', hub.url, (c) => {
      c.poll = 0.2;
      c.sink = { folder: { path: 'notifications' } };
      c.planUploads = { folder: { path: 'plans', settle: 0.1, poll: 0.1 } };
    }, 'la-national');
    plans = site.folder('plans');
    adapter = await startAdapter(site);
  }, 60_000);
  afterAll(async () => {
    await adapter?.stop();
    await hub?.stop();
  });

  test('a national File goes to the hub byte for byte, and the FileResponse linked to it lands beside it as .ack.xml', async () => {
    const file = example('pregnant-looked-after-girl');
    writeFileSync(join(plans, 'bradford-1042.xml'), file);
    const sentId = await until(() => {
      const sidecar = join(plans, 'sent', 'bradford-1042.xml.message-id');
      return existsSync(sidecar) ? readFileSync(sidecar, 'utf8').trim() : undefined;
    }, 20_000);

    const received = await client(hub, 'X26HUB').download(sentId);
    expect(received.body.equals(file)).toBe(true);
    expect(received.headers).toMatchObject({ from: 'LA709CSC', workflowId: 'CPIS_PLAN_UPDATE' });

    const fileResponse = answer('pregnant-looked-after-girl');
    await hub.store.send({
      id: `${sentId}_ACK`, from: 'X26HUB', to: 'LA709CSC', workflowId: 'CPIS_PLAN_UPDATE_ACK', type: 'DATA', totalChunks: 1,
      fileName: 'bradford-1042.ack.xml', contentType: 'application/xml', linkedMsgId: sentId,
    }, Buffer.from(fileResponse), { sendOnceWindowMs: 0 });
    const ack = join(plans, 'sent', 'bradford-1042.xml.ack.xml');
    expect(await until(() => (existsSync(ack) ? readFileSync(ack, 'utf8') : undefined), 20_000)).toBe(fileResponse);
    expect(fileResponse).toContain('<FileResponse xmlns="urn:hl7-org:v3"');
  }, 60_000);

  test('a file that is neither a plan update nor a national File is rejected, naming both', async () => {
    writeFileSync(join(plans, 'not-a-plan.xml'), example('one-child-cpp').toString().replace('<File ', '<FileResponse ').replace('</File>', '</FileResponse>'));
    const error = join(plans, 'rejected', 'not-a-plan.xml.error.txt');
    const text = await until(() => (existsSync(error) ? readFileSync(error, 'utf8') : undefined), 20_000);
    expect(text).toBe('WRONG_DOCUMENT: expected the root element {urn:cpis-exchange:v1}planUpdate or {urn:hl7-org:v3}File, found {urn:hl7-org:v3}FileResponse\n');
    expect(readdirSync(join(plans, 'sent'))).not.toContain('not-a-plan.xml');
  }, 30_000);
});
