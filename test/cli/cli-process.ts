import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { PASSWORDS } from '../console/staff.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts a cpisx process with none of the caller's CPISX_ settings, and a state directory
 * of its own, removed when it ends (so no kept session is shared), unless `env` names one.
 */
function spawnCli(command: string, args: string[], env: Record<string, string | undefined>) {
  const state = env.XDG_STATE_HOME ?? mkdtempSync(join(tmpdir(), 'cpisx-state-'));
  const child = spawn(command, args, {
    env: { ...process.env, NODE_OPTIONS: '', CPISX_HUB: undefined, CPISX_USER: undefined, CPISX_PASSWORD: undefined, ...env, XDG_STATE_HOME: state },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (!env.XDG_STATE_HOME) child.once('close', () => rmSync(state, { recursive: true, force: true }));
  return child;
}

/** `cpisx …` as a real process, its stdin, stdout and stderr pipes (not a terminal); `input` is written to stdin. */
export function cpisx(args: string[], env: Record<string, string | undefined> = {}, input = ''): Promise<CliRun> {
  const child = spawnCli(process.execPath, ['--import', TSX, 'adapters/cli/cpisx.ts', ...args], env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment that signs the CLI in to `hubUrl` as one of the sample staff accounts. */
export function staffEnv(hubUrl: string, user: string): Record<string, string> {
  return { CPISX_HUB: hubUrl, CPISX_USER: user, CPISX_PASSWORD: PASSWORDS[user] };
}

export interface TerminalRun {
  code: number | null;
  /** What the terminal showed: stdout and stderr together, with the terminal's \r\n line ends. */
  screen: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * `cpisx …` on a pseudo-terminal (util-linux `script`), as someone at a keyboard: each
 * answer is typed once its prompt has appeared, as a person would.
 */
export function cpisxOnTerminal(args: string[], env: Record<string, string | undefined>, answers: [prompt: string, typed: string][]): Promise<TerminalRun> {
  const command = [process.execPath, '--import', TSX, 'adapters/cli/cpisx.ts', ...args].map(quote).join(' ');
  const child = spawnCli('script', ['-qec', command, '/dev/null'], env);
  let screen = '';
  let answered = 0;
  const pending = [...answers];
  child.stdout.on('data', (d) => {
    screen += d;
    const next = pending[0];
    const at = next && screen.indexOf(next[0], answered);
    if (next && at >= 0) {
      pending.shift();
      answered = at + next[0].length;
      child.stdin.write(`${next[1]}\r`);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, screen }));
  });
}
