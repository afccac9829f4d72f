import { z } from 'zod';
import { duration } from '../../engine/config/duration.js';
import { secret } from '../../engine/config/secret.js';
import { isListenHost } from './listen-host.js';

const mailboxId = z.string().regex(/^[A-Z0-9]{1,20}$/, 'a mailbox id is upper-case letters and digits');
const workflowId = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a workflow id is letters, digits, _ . -');
const url = z.string().refine((v) => URL.canParse(v) && /^https?:\/\//.test(v), 'not an http:// or https:// URL');
const path = z.string().min(1);
const listenHost = z.string().refine(isListenHost, 'a host is an IP address or a host name');

/** How the adapter reaches its mailbox on the hub. */
const mesh = z.object({
  url,
  mailbox: mailboxId,
  password: secret,
  sharedKey: secret,
  /** Per request; a hub that does not answer in time counts as down. */
  timeout: duration.prefault('60s'),
}).strict();

/** Where the adapter's own documents go: the hub's mailbox and the workflow that carries them. */
const hub = (workflow: string) => z.object({
  mailbox: mailboxId.default('X26HUB'),
  workflow: workflowId.default(workflow),
}).strict().prefault({});

const folderSource = z.object({
  path,
  /** A file is taken once its size and time have not changed for this long. */
  settle: duration.prefault('2s'),
  poll: duration.prefault('1s'),
}).strict();

const amqpSource = z.object({
  /** An amqp:// URL; it carries the broker password, so it is a secret. */
  url: secret,
  queue: z.string().min(1),
  prefetch: z.number().int().min(1).max(1000).default(10),
  maxAttempts: z.number().int().min(1).max(100).default(5),
  deadLetterExchange: z.string().min(1).optional(),
  /** Declare the queue (a quorum queue with a delivery limit) and its dead-letter exchange; false when the broker's operators do. */
  declare: z.boolean().default(true),
}).strict();

const hl7Source = z.object({
  mllp: z.object({ port: z.number().int().min(0).max(65535), host: listenHost.default('0.0.0.0') }).strict().optional(),
  folder: folderSource.optional(),
  /** ECDS department type for attendances the HL7 message does not type. */
  departmentType: z.enum(['01', '02', '03', '04']).default('01'),
  careSettingName: z.string().min(1).optional(),
}).strict().refine((h) => h.mllp || h.folder, 'give mllp, folder or both');

/** Where received messages are delivered: exactly one kind. */
const sink = z.union([
  z.object({ folder: z.object({ path }).strict() }).strict(),
  z.object({
    amqp: z.object({ url: secret, exchange: z.string().min(1), routingKey: z.string().optional() }).strict(),
  }).strict(),
  z.object({
    webhook: z.object({
      url,
      timeout: duration.prefault('10s'),
      headers: z.record(z.string(), secret).default({}),
    }).strict(),
  }).strict(),
], { error: 'a sink is one of {folder: {path}}, {amqp: {url, exchange}} or {webhook: {url}}' });

const retry = z.object({
  baseDelay: duration.prefault('1s'),
  maxDelay: duration.prefault('5m'),
}).strict().prefault({});

/**
 * How `cpisx query` asks the hub's point-of-care query for staff and scripts at the trust:
 * its query client (the hub's `queryClients`), and the user to state when the client is not a
 * system client with a responsible person.
 */
const query = z.object({
  /** The hub's base URL; default the adapter's own (`mesh.url`). */
  url: url.optional(),
  clientId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a client id is 1 to 64 letters, digits, . _ -'),
  secret,
  user: z.object({
    name: z.string().min(1),
    role: z.string().min(1).optional(),
    id: z.string().min(1).optional(),
  }).strict().optional(),
}).strict();
/** How the adapter is watched: its health and metrics server (none without a port), and its heartbeat log line. */
const ops = z.object({
  port: z.number().int().min(0).max(65535).optional(),
  /** Loopback unless a scraper elsewhere needs it: the endpoints have no authentication. */
  host: listenHost.default('127.0.0.1'),
  /** A log line with the counts since the last one, so a quiet adapter is seen to be alive. */
  heartbeat: duration.prefault('5m'),
}).strict().prefault({});

const common = {
  /** Marks a sample file: only these may carry passwords inline. */
  sample: z.boolean().default(false),
  mesh,
  retry,
  ops,
};

/** The PAS adapter at a trust: attendances out, flag responses back. */
export const pasConfigSchema = z.object({
  ...common,
  hub: hub('CPIS_ATTENDANCE'),
  sources: z.object({
    folder: folderSource.optional(),
    amqp: amqpSource.optional(),
    hl7: hl7Source.optional(),
  }).strict().refine((s) => s.folder || s.amqp || s.hl7, 'give at least one of folder, amqp, hl7'),
  responses: z.object({ poll: duration.prefault('5s'), sink }).strict(),
  query: query.optional(),
}).strict().superRefine(inlineSecrets);

/** The LA adapter: notifications and acknowledgements in, plan uploads out. */
export const laConfigSchema = z.object({
  ...common,
  hub: hub('CPIS_PLAN_UPDATE'),
  poll: duration.prefault('5s'),
  sink,
  planUploads: z.object({ folder: folderSource.optional(), amqp: amqpSource.optional() }).strict().optional(),
}).strict().superRefine(inlineSecrets);

export type PasConfig = z.output<typeof pasConfigSchema>;
export type LaConfig = z.output<typeof laConfigSchema>;
export type AdapterConfig = PasConfig | LaConfig;
export type FolderSourceConfig = z.output<typeof folderSource>;
export type AmqpSourceConfig = z.output<typeof amqpSource>;
export type Hl7SourceConfig = z.output<typeof hl7Source>;
export type SinkConfig = z.output<typeof sink>;
export type MeshConnection = z.output<typeof mesh>;
export type QueryClientConfig = z.output<typeof query>;
export type OpsConfig = z.output<typeof ops>;

/** Same rule as the hub's: inline secrets only in sample files. */
function inlineSecrets(cfg: { sample: boolean; mesh: z.output<typeof mesh>; query?: z.output<typeof query> }, ctx: z.RefinementCtx): void {
  if (cfg.sample) return;
  const secrets: [string[], unknown][] = [[['mesh', 'password'], cfg.mesh.password], [['mesh', 'sharedKey'], cfg.mesh.sharedKey], [['query', 'secret'], cfg.query?.secret]];
  for (const [path, value] of secrets) {
    if (typeof value === 'string') ctx.addIssue({ code: 'custom', path, message: 'inline secrets are for sample files only; use {env: VAR} or {file: path}' });
  }
}
