import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';

/** tsx's loader by absolute URL, so a process started in another folder (`cwd`) still finds it. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface ReadyProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends the signal (if still running) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** An entry point run as its own Node process: TypeScript through tsx, compiled JavaScript (dist/) by Node alone. */
export interface TsProcess {
  script: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Text in its output that says it is ready. */
  ready: string;
  timeoutMs?: number;
}

/** Starts the process and resolves once `ready` appears; rejects with its output if it exits or times out first. */
export async function spawnReady(p: TsProcess): Promise<ReadyProcess> {
  const loader = p.script.endsWith('.ts') ? ['--import', TSX] : [];
  const child = spawn(process.execPath, [...loader, p.script, ...(p.args ?? [])], {
    env: { ...process.env, NODE_OPTIONS: '', ...p.env },
    cwd: p.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${p.script} did not start:\n${out}`)), p.timeoutMs ?? 20_000);
    const take = (d: Buffer) => {
      out += d;
      if (out.includes(p.ready)) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`${p.script} exited ${code}:\n${out}`)); });
  }).catch((err) => { child.kill('SIGKILL'); throw err; });
  return {
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
