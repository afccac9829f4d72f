import { z } from 'zod';
import { PASSWORD_HASH } from '../console/accounts.js';
import { canonicalFingerprint } from '../query/certificate.js';
import { isRedisUrl, parseNode } from '../redis/settings.js';
import { duration } from './duration.js';
import { secret } from './secret.js';

export type { SecretSource } from './secret.js';

const odsCode = z.string().regex(/^[A-Z0-9]{3,9}$/, 'an ODS code is 3 to 9 upper-case letters or digits');
const mailboxId = z.string().regex(/^[A-Z0-9]{1,20}$/, 'a mailbox id is upper-case letters and digits');
const workflowId = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a workflow id is letters, digits, _ . -');

const organisation = z.object({
  ods: odsCode,
  name: z.string().min(1),
  kind: z.enum(['trust', 'la', 'hub']),
  phones: z.object({ office: z.string().min(1).optional(), emergency: z.string().min(1).optional() }).strict().default({}),
}).strict();

const mailbox = z.object({
  id: mailboxId,
  organisation: odsCode,
  name: z.string().min(1).optional(),
  password: secret,
  /** The dialect the hub answers this mailbox in: its own (`native`) or the national CP-IS documents (`dms`). */
  format: z.enum(['native', 'dms']).default('native'),
}).strict();

/** `*` stands for every mailbox. */
const mailboxList = z.array(z.union([mailboxId, z.literal('*')])).min(1);

const workflow = z.object({
  id: workflowId,
  senders: mailboxList,
  recipients: mailboxList,
  reply: workflowId.optional(),
  /** Same sender and mex-localid within this window returns the first message id. */
  idempotencyWindow: duration.prefault(86400),
  /** Largest message, all chunks together and inflated; bigger is refused at send (413). Defaults: see withSizeLimits. */
  maxMessageBytes: z.number().int().positive().optional(),
}).strict();

const tls = z.object({
  key: z.string().min(1),
  cert: z.string().min(1),
  ca: z.string().min(1).optional(),
  requireClientCert: z.boolean().default(false),
}).strict();

const certificateFingerprint = z.string().transform((text, ctx) => {
  const fingerprint = canonicalFingerprint(text);
  if (fingerprint) return fingerprint;
  ctx.addIssue({ code: 'custom', message: 'a certificate fingerprint is its SHA-256: 32 bytes of hex, with or without colons' });
  return z.NEVER;
});

/** YAML reads an unquoted 01 as the number 1. */
const departmentType = z.preprocess(
  (value) => (typeof value === 'number' && Number.isInteger(value) ? `0${value}` : value),
  z.enum(['01', '02', '03', '04']),
);

/** A system's nominated person, whom its queries without a stated user are recorded against (the HL7 v3 System author). */
const responsiblePerson = z.object({
  name: z.string().trim().min(1),
  role: z.string().trim().min(1).optional(),
  roleCode: z.string().trim().min(1).optional(),
  /** SDS user id. */
  id: z.string().trim().min(1).optional(),
}).strict();

/** A trust system that may ask the point-of-care query (FHIR CareTeam/AuditEvent or HL7 v3). */
const queryClient = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a query client id is 1 to 64 letters, digits, . _ -'),
  organisation: odsCode,
  /** The care setting's name in the access history and the LA's notification; the organisation's name if not given. */
  name: z.string().min(1).optional(),
  /** For the OAuth2 client-credentials grant at /cpis/oauth2/token. */
  secret: secret.optional(),
  /** For mutual TLS: the client certificate's SHA-256 fingerprint. */
  certificate: certificateFingerprint.optional(),
  /** false keeps the client known but refuses its queries. */
  allowed: z.boolean().default(true),
  departmentType: departmentType.default('01'),
  /** The system's Spine ASID: names it when its responsible person is recorded. */
  asid: z.string().regex(/^\d{12}$/, 'an ASID is 12 digits').optional(),
  responsiblePerson: responsiblePerson.optional(),
  rateLimit: z.object({
    perSecond: z.number().positive().max(100_000).default(50),
    burst: z.number().int().min(1).max(100_000).default(100),
  }).strict().prefault({}),
  tokenLifetime: duration.prefault('15m'),
}).strict();

/** The CP-IS workers: which mailbox is the hub's, which workflows carry what, and how to retry. */
const cpis = z.object({
  hubMailbox: mailboxId,
  workflows: z.object({
    planUpdate: workflowId,
    attendance: workflowId,
    accessNotification: workflowId,
  }).strict(),
  endedVisibleMonths: z.number().int().min(0).max(120).default(12),
  /** The hub's Spine ASID, the sender of its HL7 v3 query answers; all zeros says none is assigned. */
  asid: z.string().regex(/^\d{12}$/, 'an ASID is 12 digits').default('000000000000'),
  retry: z.object({
    attempts: z.number().int().min(1).max(100).default(8),
    baseDelay: duration.prefault('1s'),
    maxDelay: duration.prefault('10m'),
  }).strict().prefault({}),
  /** Jobs in flight per worker process: mostly waiting on Redis, so many (docs/BENCHMARKS.md). */
  concurrency: z.number().int().min(1).max(256).default(64),
  /** How often the hub's inbox is swept for messages accepted but never queued. */
  sweepEvery: duration.prefault('30s'),
  /** A job whose worker stopped answering (killed) is taken again after this. */
  stalledAfter: duration.prefault('30s'),
  /** SIGTERM: in-flight jobs get this long to finish before they are released. */
  shutdownDeadline: duration.prefault('20s'),
}).strict();

/** Support console staff: hashes only (`cpisx` makes them), never passwords. */
const consoleSettings = z.object({
  users: z.array(z.object({
    username: z.string().regex(/^[a-z0-9._-]{1,64}$/, 'a username is 1 to 64 lower-case letters, digits, . _ -'),
    role: z.enum(['viewer', 'operator', 'admin']),
    passwordHash: z.string().regex(PASSWORD_HASH, 'a password hash is scrypt$N$r$p$salt$hash, as hashPassword makes it'),
  }).strict()).min(1),
  /** A session unused this long ends. */
  sessionIdle: duration.prefault('30m'),
  lockout: z.object({
    attempts: z.number().int().min(1).max(100).default(5),
    for: duration.prefault('15m'),
  }).strict().prefault({}),
  /** How often each serving hub process walks the audit hash chain for `/metrics` (the whole chain each time). */
  auditCheckEvery: duration.prefault('10m'),
}).strict();

const redisNode = z.string().refine((text) => parseNode(text) !== undefined, 'a Redis node is host:port');

/** Where Redis is: one of url, sentinels or cluster (none means REDIS_URL or its default). */
const redisSection = z.object({
  url: z.string().refine(isRedisUrl, 'not a redis:// or rediss:// URL').optional(),
  /** `password`: the sentinels' own (`requirepass` in sentinel.conf), when they have one. */
  sentinels: z.object({ nodes: z.array(redisNode).min(1), name: z.string().min(1), password: secret.optional() }).strict().optional(),
  cluster: z.object({ nodes: z.array(redisNode).min(1) }).strict().optional(),
  password: secret.optional(),
  /** Files for TLS to Sentinel or Cluster nodes (a single Redis may say rediss:// instead). */
  tls: z.object({ ca: z.string().min(1).optional(), cert: z.string().min(1).optional(), key: z.string().min(1).optional() }).strict().optional(),
  /** Replicas that must hold a write before the hub answers for it (README: Scaling and high availability). */
  replicaAcks: z.number().int().min(0).max(16).default(0),
  replicaAckTimeout: duration.prefault('1s'),
}).strict().refine(
  (r) => [r.url, r.sentinels, r.cluster].filter((t) => t !== undefined).length <= 1,
  'give one of url, sentinels or cluster',
);

const configShape = z.object({
  /** Marks a sample file: only these may carry passwords and the shared key inline. */
  sample: z.boolean().default(false),
  sharedKey: secret.optional(),
  mesh: z.object({
    authWindow: duration.prefault(7200),
    maxRequestBytes: z.number().int().positive().default(100 * 1024 * 1024),
    undeliveredAfter: duration.prefault('5d'),
    deleteContentAfter: duration.prefault('30d'),
    expirySweepEvery: duration.prefault(60),
    tls: tls.optional(),
  }).strict().prefault({}),
  organisations: z.array(organisation).min(1),
  mailboxes: z.array(mailbox).min(1),
  workflows: z.array(workflow).min(1),
  cpis: cpis.optional(),
  console: consoleSettings.optional(),
  queryClients: z.array(queryClient).default([]),
  redis: redisSection.optional(),
}).strict();

export const configSchema = configShape.superRefine(crossReferences).transform(withSizeLimits).transform(withClientNames);
type RawConfig = z.output<typeof configShape>;

const MIB = 1024 * 1024;
/** A workflow the hub does not read itself: large files are MESH's business, but inflation still needs a bound. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * MIB;

/** Every workflow gets a size limit: its own, else the CP-IS default for what it carries, else the general one. */
function withSizeLimits(cfg: RawConfig) {
  const defaults: Record<string, number> = cfg.cpis ? { [cfg.cpis.workflows.attendance]: MIB, [cfg.cpis.workflows.planUpdate]: 64 * MIB } : {};
  const workflows = cfg.workflows.map((w) => ({ ...w, maxMessageBytes: w.maxMessageBytes ?? defaults[w.id] ?? DEFAULT_MAX_MESSAGE_BYTES }));
  return { ...cfg, workflows };
}

/** A query client without a name of its own is named as its organisation. */
function withClientNames(cfg: ReturnType<typeof withSizeLimits>) {
  const names = new Map(cfg.organisations.map((o) => [o.ods, o.name]));
  return { ...cfg, queryClients: cfg.queryClients.map((c) => ({ ...c, name: c.name ?? names.get(c.organisation)! })) };
}

function crossReferences(cfg: RawConfig, ctx: z.RefinementCtx): void {
  const orgs = new Set(cfg.organisations.map((o) => o.ods));
  const boxes = new Set(cfg.mailboxes.map((m) => m.id));
  const flows = new Set(cfg.workflows.map((w) => w.id));
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  duplicates(cfg.organisations.map((o) => o.ods)).forEach((i) => issue(['organisations', i, 'ods'], 'duplicate ODS code'));
  duplicates(cfg.mailboxes.map((m) => m.id)).forEach((i) => issue(['mailboxes', i, 'id'], 'duplicate mailbox id'));
  duplicates(cfg.workflows.map((w) => w.id)).forEach((i) => issue(['workflows', i, 'id'], 'duplicate workflow id'));
  cfg.mailboxes.forEach((m, i) => {
    if (!orgs.has(m.organisation)) issue(['mailboxes', i, 'organisation'], `no organisation with ODS code ${m.organisation}`);
    if (typeof m.password === 'string' && !cfg.sample) issue(['mailboxes', i, 'password'], 'inline passwords are for sample files only; use {env: VAR} or {file: path}');
  });
  for (const [path, value] of [[['redis', 'password'], cfg.redis?.password], [['redis', 'sentinels', 'password'], cfg.redis?.sentinels?.password]] as const) {
    if (typeof value === 'string' && !cfg.sample) issue([...path], 'an inline password is for sample files only; use {env: VAR} or {file: path}');
  }
  if (typeof cfg.sharedKey === 'string' && !cfg.sample) issue(['sharedKey'], 'an inline shared key is for sample files only; use {env: VAR} or {file: path}');
  cfg.workflows.forEach((w, i) => {
    for (const side of ['senders', 'recipients'] as const) {
      w[side].forEach((id, j) => {
        if (id !== '*' && !boxes.has(id)) issue(['workflows', i, side, j], `no mailbox ${id}`);
      });
    }
    if (w.reply && !flows.has(w.reply)) issue(['workflows', i, 'reply'], `no workflow ${w.reply}`);
  });
  if (cfg.cpis) {
    if (!boxes.has(cfg.cpis.hubMailbox)) issue(['cpis', 'hubMailbox'], `no mailbox ${cfg.cpis.hubMailbox}`);
    for (const [name, id] of Object.entries(cfg.cpis.workflows)) {
      const flow = cfg.workflows.find((w) => w.id === id);
      if (!flow) issue(['cpis', 'workflows', name], `no workflow ${id}`);
      else if (name !== 'accessNotification' && !flow.reply) issue(['workflows', cfg.workflows.indexOf(flow), 'reply'], `workflow ${id} needs a reply workflow for the hub's answers`);
    }
  }
  checkConsole(cfg, issue);
  checkQueryClients(cfg, issue);
}

function checkConsole(cfg: RawConfig, issue: (path: (string | number)[], message: string) => void): void {
  if (!cfg.console) return;
  duplicates(cfg.console.users.map((u) => u.username)).forEach((i) => issue(['console', 'users', i, 'username'], 'duplicate username'));
}

const MAX_TOKEN_LIFETIME_MS = 86_400_000;

function checkQueryClients(cfg: RawConfig, issue: (path: (string | number)[], message: string) => void): void {
  const kinds = new Map(cfg.organisations.map((o) => [o.ods, o.kind]));
  duplicates(cfg.queryClients.map((c) => c.id)).forEach((i) => issue(['queryClients', i, 'id'], 'duplicate query client id'));
  const certificates = cfg.queryClients.map((c) => c.certificate ?? `none:${c.id}`);
  duplicates(certificates).forEach((i) => issue(['queryClients', i, 'certificate'], 'another query client has this certificate'));
  cfg.queryClients.forEach((c, i) => {
    const kind = kinds.get(c.organisation);
    if (!kind) issue(['queryClients', i, 'organisation'], `no organisation with ODS code ${c.organisation}`);
    else if (kind !== 'trust') issue(['queryClients', i, 'organisation'], `${c.organisation} is ${kind === 'la' ? 'a local authority' : 'the hub'}; only a trust's systems may query`);
    if (c.secret === undefined && c.certificate === undefined) issue(['queryClients', i], 'a query client needs a secret, a certificate, or both');
    if (typeof c.secret === 'string' && !cfg.sample) issue(['queryClients', i, 'secret'], 'inline secrets are for sample files only; use {env: VAR} or {file: path}');
    if (c.tokenLifetime > MAX_TOKEN_LIFETIME_MS) issue(['queryClients', i, 'tokenLifetime'], 'a token may live a day at most');
  });
}

function duplicates(values: string[]): number[] {
  return values.flatMap((v, i) => (values.indexOf(v) !== i ? [i] : []));
}

export type HubConfigFile = z.output<typeof configSchema>;
export type Organisation = HubConfigFile['organisations'][number];
export type MailboxConfig = HubConfigFile['mailboxes'][number];
export type WireFormat = MailboxConfig['format'];
export type WorkflowConfig = HubConfigFile['workflows'][number];
export type MeshSettings = HubConfigFile['mesh'];
export type CpisSettings = NonNullable<HubConfigFile['cpis']>;
export type ConsoleSettings = NonNullable<HubConfigFile['console']>;
/** A query client with its secret read (load.ts resolves it). */
export type QueryClientConfig = Omit<HubConfigFile['queryClients'][number], 'secret'> & { secret?: string };
