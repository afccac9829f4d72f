import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { REDIS_URL } from './hub.js';

export interface HubProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
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

/**
 * The hub as a real process (`engine/main.ts` through tsx), ready once it logs that it
 * listens (or, for `--role worker`, that its workers run).
 */
export async function spawnHub(configFile: string, env: Record<string, string> = {}, role: 'all' | 'api' | 'worker' = 'all'): Promise<HubProcess> {
  const port = await freePort();
  const ready = role === 'worker' ? 'CP-IS workers running' : 'hub listening';
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts', '--config', configFile, '--role', role], {
    env: { ...process.env, NODE_OPTIONS: '', REDIS_URL, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${out}`)), 20_000);
    const check = () => {
      if (out.includes(ready)) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`hub exited ${code}:\n${out}`)); });
  }).catch((err) => { child.kill('SIGKILL'); throw err; });
  return {
    url: role === 'worker' ? '' : `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
