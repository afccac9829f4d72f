import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { Pool } from 'undici';
import { loadConfig } from '../engine/config/load.js';
import { Keys } from '../engine/mailbox/keys.js';
import { RedisMailboxStore } from '../engine/mailbox/redis-store.js';
import { MessageIndex } from '../engine/search/message-index.js';
import { SearchKeys } from '../engine/search/search-keys.js';
import { nhsNumbers, percentile, positiveInteger, redisUsedMb, round, runBench, SAMPLE_CONFIG, warnIfBusy } from './cpis-support.js';

/**
 * The message search over N messages (100,000 by default): written through the real store
 * and index as the hub writes its own messages (RedisMailboxStore.send with the MessageIndex,
 * the NHS number given with each flag response and notification as the workers give it, none
 * with a plan update acknowledgement), under the running hub's key prefix; then each kind of search timed
 * through the console API, over real HTTP, signed in as a viewer. Messages go from the hub
 * to the trust and the LAs (the hub's own inbox would set its workers on them); half are
 * acknowledged.
 */
const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' }, runs: { type: 'string', default: '200' } } });
const MESSAGES = positiveInteger('--messages', values.messages!);
const RUNS = positiveInteger('--runs', values.runs!);
const PATIENTS = Math.max(1, Math.floor(MESSAGES / 5));
const SENDERS_AT_ONCE = 64;

const ROUTES = [
  { workflowId: 'CPIS_ATTENDANCE_RESPONSE', to: ['RR8PAS'], share: 0.4, patient: true },
  { workflowId: 'CPIS_ACCESS_NOTIFICATION', to: ['LA706CSC', 'LA708CSC', 'LA709CSC'], share: 0.4, patient: true },
  { workflowId: 'CPIS_PLAN_UPDATE_ACK', to: ['LA706CSC', 'LA708CSC', 'LA709CSC'], share: 0.2, patient: false },
];

interface Sent { id: string; localId: string; nhsNumber?: string; workflowId: string; to: string; at: number }

function routeOf(i: number) {
  const x = (i % 100) / 100;
  let sum = 0;
  return ROUTES.find((r) => (sum += r.share) > x) ?? ROUTES[0];
}

async function load(redis: Redis, prefix: string, patients: string[]): Promise<Sent[]> {
  const config = loadConfig(SAMPLE_CONFIG);
  const lifetimes = { undeliveredAfterMs: config.mesh.undeliveredAfter, deleteContentAfterMs: config.mesh.deleteContentAfter };
  const index = new MessageIndex(redis, new SearchKeys(prefix), lifetimes.deleteContentAfterMs);
  const store = new RedisMailboxStore(redis, lifetimes, new Keys(prefix), index);
  const sent: Sent[] = new Array(MESSAGES);
  const body = Buffer.from('<flagResponse>bench</flagResponse>');
  let next = 0;
  const sender = async () => {
    for (let i = next++; i < MESSAGES; i = next++) {
      const route = routeOf(i);
      const to = route.to[i % route.to.length];
      const id = `BENCH${String(i).padStart(8, '0')}`;
      const localId = `L-${i}`;
      const nhsNumber = route.patient ? patients[i % patients.length] : undefined;
      await store.send(
        { id, from: 'X26HUB', to, workflowId: route.workflowId, type: 'DATA', totalChunks: 1, localId }, body,
        { sendOnceWindowMs: 0, nhsNumbers: nhsNumber ? [nhsNumber] : undefined },
      );
      const at = Date.now();
      if (i % 2 === 0) await store.acknowledge(to, id);
      sent[i] = { id, localId, nhsNumber, workflowId: route.workflowId, to, at };
    }
  };
  await Promise.all(Array.from({ length: SENDERS_AT_ONCE }, sender));
  return sent;
}

async function signIn(http: Pool): Promise<string> {
  const res = await http.request({
    method: 'POST', path: '/console/api/login', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'viewer', password: 'viewer-password' }), // the sample configuration's viewer
  });
  await res.body.text();
  const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0];
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in answered ${res.statusCode}`);
  return cookie;
}

type Kind = { name: string; query: (s: Sent, all: Sent[]) => Record<string, string> };

const iso = (ms: number) => new Date(ms).toISOString();
const KINDS: Kind[] = [
  { name: 'message id', query: (s) => ({ messageId: s.id }) },
  { name: 'local id', query: (s) => ({ localId: s.localId }) },
  { name: 'NHS number', query: (s) => ({ nhsNumber: s.nhsNumber! }) },
  { name: 'workflow', query: (s) => ({ workflow: s.workflowId }) },
  { name: 'sender', query: () => ({ from: 'X26HUB' }) },
  { name: 'recipient', query: (s) => ({ to: s.to }) },
  { name: 'time window (10 s)', query: (s) => ({ since: iso(s.at - 5_000), until: iso(s.at + 5_000) }) },
  { name: 'NHS number + workflow', query: (s) => ({ nhsNumber: s.nhsNumber!, workflow: s.workflowId }) },
  { name: 'workflow + recipient + window', query: (s) => ({ workflow: s.workflowId, to: s.to, since: iso(s.at - 5_000), until: iso(s.at + 5_000) }) },
  { name: 'sender + recipient + local id', query: (s) => ({ from: 'X26HUB', to: s.to, localId: s.localId }) },
  // The worst case: two large sets with no member in common, read until the scan bound.
  { name: 'disjoint workflow + recipient', query: () => ({ workflow: 'CPIS_PLAN_UPDATE_ACK', to: 'RR8PAS' }) },
];

async function time(http: Pool, cookie: string, query: Record<string, string>): Promise<{ ms: number; found: number }> {
  const started = process.hrtime.bigint();
  const res = await http.request({ method: 'GET', path: `/console/api/messages?${new URLSearchParams({ ...query, limit: '50' })}`, headers: { cookie } });
  const text = await res.body.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.statusCode !== 200) throw new Error(`search ${JSON.stringify(Object.keys(query))} answered ${res.statusCode}: ${text.slice(0, 200)}`);
  return { ms, found: (JSON.parse(text) as { items: unknown[] }).items.length };
}

warnIfBusy();
runBench('search', { layout: 'all', redis: 'ci', config: () => SAMPLE_CONFIG, hubNodeOptions: [] }, async (run) => {
  const [load1] = loadavg();
  const patients = nhsNumbers(PATIENTS);
  const memoryBefore = await redisUsedMb(run.redis);
  const loadStarted = Date.now();
  const sent = await load(run.redis, run.prefix, patients);
  const loadSeconds = (Date.now() - loadStarted) / 1000;
  // The Redis is shared, so this is approximate: the messages and their index together.
  const grown = round((await redisUsedMb(run.redis)) - memoryBefore, 1);
  process.stdout.write(`stored and indexed ${MESSAGES} messages (${PATIENTS} patients) in ${round(loadSeconds, 1)} s, ${round(MESSAGES / loadSeconds, 0)}/s; Redis grew ${grown} MB\n`);
  process.stdout.write(`machine: ${cpus().length} cores (${cpus()[0]?.model}), load average ${round(load1, 2)} at start\n\n`);
  const http = new Pool(run.hubs.url, { connections: 1 });
  const cookie = await signIn(http);
  const withPatient = sent.filter((s) => s.nhsNumber);
  process.stdout.write('| search | runs | found (mean) | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|\n');
  let worstP95 = 0;
  for (const kind of KINDS) {
    const samples: number[] = [];
    let found = 0;
    for (let r = 0; r < RUNS && !run.shouldStop(); r++) {
      const pool = kind.name.includes('NHS') ? withPatient : sent;
      const pick = pool[Math.floor(Math.random() * pool.length)];
      const answer = await time(http, cookie, kind.query(pick, sent));
      samples.push(answer.ms);
      found += answer.found;
    }
    samples.sort((a, b) => a - b);
    const [p50, p95, p99] = [50, 95, 99].map((p) => round(percentile(samples, p), 1));
    worstP95 = Math.max(worstP95, p95);
    process.stdout.write(`| ${kind.name} | ${samples.length} | ${round(found / Math.max(1, samples.length), 1)} | ${p50} | ${p95} | ${p99} |\n`);
  }
  await http.close();
  process.stdout.write(`\nload average ${round(loadavg()[0], 2)} at the end; worst p95 ${worstP95} ms (target under 200 ms)\n`);
  return run.interrupted() ? 130 : 0;
});
