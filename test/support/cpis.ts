import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { PASSWORDS, SAMPLE_CONFIG, SHARED_KEY } from '../../scripts/sample-exchange.js';
import type { PlanRecord } from '../../engine/cpis/types.js';
import { parsePlanUpdateAck } from '../../engine/cpis/xml/plan-update-ack.js';
import { startTestHub, type TestHub } from './hub.js';
import { until } from './wait.js';
import type winston from 'winston';

export { attendanceXml, LA706, LA708, LA709, nationalPlanFile, nationalRecord, PASSWORDS, planFile, planRecord, SAMPLE_CONFIG } from '../../scripts/sample-exchange.js';
import { LA706, planFile } from '../../scripts/sample-exchange.js';

/** The sample CP-IS hub with quick retries and stalled-job checks, so failures show within a test. */
export function startCpisHub(
  cpis: Record<string, unknown> = {},
  options: { log?: winston.Logger; keyPrefix?: string; overrides?: Record<string, unknown> } = {},
): Promise<TestHub> {
  const sample = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as { cpis: Record<string, unknown> };
  return startTestHub(
    { ...options.overrides, cpis: { ...sample.cpis, retry: { attempts: 3, baseDelay: 0.05, maxDelay: 0.2 }, sweepEvery: 0.5, stalledAfter: 2, ...cpis } },
    { file: SAMPLE_CONFIG, log: options.log, keyPrefix: options.keyPrefix },
  );
}

/** The sample configuration's workflows, for tests that change one of them. */
export function sampleWorkflows(): { id: string; senders: string[]; recipients: string[]; reply?: string }[] {
  return (parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as { workflows: [] }).workflows;
}

export function client(hub: Pick<TestHub, 'url'>, mailboxId: string): MeshClient {
  return new MeshClient({ baseUrl: hub.url, mailboxId, password: PASSWORDS[mailboxId], sharedKey: SHARED_KEY, retry: { attempts: 2, baseDelayMs: 50 } });
}





/** Polls a mailbox until `count` messages wait (or the time runs out), then downloads and acknowledges them. */
export async function collect(mesh: MeshClient, count: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let ids: string[] = [];
  while (Date.now() < deadline) {
    ids = [];
    for await (const id of mesh.inboxIds()) ids.push(id);
    if (ids.length >= count) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const messages = [];
  for (const id of ids) {
    const message = await mesh.download(id);
    await mesh.acknowledge(id);
    messages.push({ ...message, text: message.body.toString('utf8') });
  }
  return messages;
}

/** Valid Modulus 11 NHS numbers (CPIS.md and generated). */
export const NHS = ['9689177621', '9446245796', '9434765919'];

/** Each upload through `uploadPlans` its own sequence, whichever LA and test file sends it. */
let nextSequence = 1000;

/** An LA's plan file sent through MESH, and its acknowledgement collected: every record applied (CPF02). */
export async function uploadPlans(hub: Pick<TestHub, 'url'>, la: typeof LA706, mailbox: string, records: PlanRecord[]): Promise<void> {
  const mesh = client(hub, mailbox);
  const sequence = nextSequence++;
  await mesh.send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(la, sequence, records), localId: `upload-${sequence}` });
  const [ack] = await collect(mesh, 1);
  const parsed = parsePlanUpdateAck(ack.body);
  if (!parsed.ok || parsed.value.status !== 'CPF02') throw new Error(`upload ${sequence} was not applied whole: ${ack.body.toString('utf8')}`);
}

/** What waits in a mailbox once the hub's own inbox is empty, i.e. once everything the hub ordered is delivered. */
export async function drainedInbox(hub: TestHub, mailbox: string) {
  await until(async () => ((await hub.store.count('X26HUB')) === 0 ? true : undefined));
  return collect(client(hub, mailbox), 0, 500);
}
