/**
 * A private RabbitMQ node for tests that stop, restart or crash the broker without
 * touching the shared one on 5672.
 *
 *   const rabbit = await startPrivateRabbit();   // running, AMQP on a free port
 *   rabbit.url                                    // amqp://guest:guest@127.0.0.1:<port>
 *   await rabbit.stop();                          // graceful shutdown, waits for the OS process
 *   await rabbit.start();                         // same port, node name, data (durable queues survive)
 *   await rabbit.kill();                          // SIGKILL the whole process group: a crash
 *   await rabbit.teardown();                      // kill if running, delete its directory (afterAll)
 *
 * Everything lives in one temp directory: config (listener on 127.0.0.1 only, no plugins,
 * so no management port), Erlang cookie (HOME points there, so the CLI and the node share
 * it and nothing under /root or /var/lib/rabbitmq is touched), mnesia data, logs and the
 * server's stdout (`server.out`, quoted in start errors). The node name is unique
 * (`cpisx-test-<random>@localhost`) and the Erlang distribution listens on its own free
 * port on 127.0.0.1. The scripts in /usr/lib/rabbitmq/bin are run directly (RABBITMQ_BIN
 * overrides it): the /usr/sbin wrappers would switch to the rabbitmq user. Start-up is
 * awaited with `rabbitmqctl await_startup`, a few seconds on these machines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRabbit {
  readonly url: string;
  readonly port: number;
  readonly nodeName: string;
  readonly dir: string;
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  teardown(): Promise<void>;
}

const BIN = process.env.RABBITMQ_BIN ?? '/usr/lib/rabbitmq/bin';

export async function startPrivateRabbit(options: { startTimeoutMs?: number } = {}): Promise<PrivateRabbit> {
  const dir = await mkdtemp(join(tmpdir(), 'cpisx-rabbit-'));
  const port = await freePort();
  const nodeName = `cpisx-test-${randomBytes(4).toString('hex')}@localhost`;
  const env = await prepare(dir, port, await freePort(), nodeName);
  const rabbit = new RabbitNode(dir, port, nodeName, env, options.startTimeoutMs ?? 60_000);
  try {
    await rabbit.start();
  } catch (err) {
    await rabbit.teardown();
    throw err;
  }
  return rabbit;
}

class RabbitNode implements PrivateRabbit {
  private server?: ChildProcess;

  constructor(
    readonly dir: string,
    readonly port: number,
    readonly nodeName: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly startTimeoutMs: number,
  ) {}

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const out = await open(join(this.dir, 'server.out'), 'a');
    // Its own process group, so kill() reaches erl and its helpers, not only the shell script.
    const server = spawn(join(BIN, 'rabbitmq-server'), [], { env: this.env, detached: true, stdio: ['ignore', out.fd, out.fd] });
    await out.close();
    this.server = server;
    server.once('exit', () => { if (this.server === server) this.server = undefined; });
    try {
      await this.awaitStartup(server);
    } catch (err) {
      await this.kill();
      throw err;
    }
  }

  /** The script turns SIGTERM into RabbitMQ's own orderly shutdown. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    const timer = setTimeout(() => this.signalGroup(server, 'SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const exited = server.exitCode === null && server.signalCode === null ? once(server, 'exit') : Promise.resolve();
    this.signalGroup(server, 'SIGKILL');
    await exited;
    this.server = undefined;
  }

  async teardown(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }

  private signalGroup(server: ChildProcess, signal: NodeJS.Signals): void {
    try {
      process.kill(-(server.pid as number), signal);
    } catch {
      // already gone
    }
  }

  /** `await_startup` fails at once while the node is not yet registered with epmd, so it is asked again. */
  private async awaitStartup(server: ChildProcess): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      if (this.server !== server) throw new Error(`rabbitmq-server exited during start-up:\n${await this.tail()}`);
      const timeout = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
      if ((await this.ctl('await_startup', '--timeout', String(timeout))) === 0) return;
      if (Date.now() > deadline) throw new Error(`rabbitmq node ${this.nodeName} did not start in ${this.startTimeoutMs} ms:\n${await this.tail()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async ctl(...args: string[]): Promise<number | null> {
    const child = spawn(join(BIN, 'rabbitmqctl'), ['-n', this.nodeName, ...args], { env: this.env, stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  }

  private async tail(): Promise<string> {
    const text = await readFile(join(this.dir, 'server.out'), 'utf8').catch(() => '');
    return text.split('\n').slice(-30).join('\n');
  }
}

/** Writes the node's files and returns the environment that points the scripts at them. */
async function prepare(dir: string, port: number, distPort: number, nodeName: string): Promise<NodeJS.ProcessEnv> {
  const file = (name: string) => join(dir, name);
  await writeFile(file('rabbitmq.conf'), [
    `listeners.tcp.1 = 127.0.0.1:${port}`,
    // temp dirs can sit on small filesystems; the default 50 MB alarm would block publishers
    'disk_free_limit.absolute = 1MB',
    '',
  ].join('\n'));
  await writeFile(file('enabled_plugins'), '[].\n');
  // The machine's rabbitmq-env.conf sets NODENAME for the shared node; this one is empty.
  await writeFile(file('rabbitmq-env.conf'), '');
  await writeFile(file('.erlang.cookie'), randomBytes(20).toString('hex').toUpperCase(), { mode: 0o400 });
  return {
    PATH: process.env.PATH,
    HOME: dir,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_CONF_ENV_FILE: file('rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: file('rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: file('enabled_plugins'),
    RABBITMQ_MNESIA_BASE: file('mnesia'),
    RABBITMQ_LOG_BASE: file('log'),
    RABBITMQ_PID_FILE: file('rabbit.pid'),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
