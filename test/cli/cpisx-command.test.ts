import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { PROCESSING_ERRORS } from '../../engine/pipeline/processing-error.js';
import { cpisx } from './cli-process.js';

const ENTRY = 'adapters/cli/cpisx.ts';
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

test('cpisx --version prints the package version', async () => {
  expect(await cpisx(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
});

/** Refused before any request: the hub given here does not even exist. */
test.each([
  [['failed', 'list']],
  [['failed', 'replay', '--all']],
])('cpisx %j with an unknown --reason is a usage error listing the reasons, not an empty result', async (command) => {
  const run = await cpisx([...command, '--reason', 'SCHEMA_INVLAID', '--hub', 'http://127.0.0.1:9', '--user', 'someone'], { CPISX_PASSWORD: 'x' });
  expect(run).toEqual({
    code: 2,
    stdout: '',
    stderr: `cpisx: USAGE: option '--reason <code>' argument 'SCHEMA_INVLAID' is invalid. The failure reasons are ${Object.keys(PROCESSING_ERRORS).join(', ')}.\n`,
  });
});

describe('the installed cpisx (package.json bin)', () => {
  let out: string;
  beforeAll(() => {
    mkdirSync('test-artifacts', { recursive: true });
    out = mkdtempSync(join('test-artifacts', 'cpisx-build-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('the bin is what `npm run build` makes of the entry point', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin.cpisx).toBe(`dist/${ENTRY.replace(/\.ts$/, '.js')}`);
  });

  /**
   * Without a shebang the shell runs the file itself ("import: command not found"). The
   * entry point and what it imports, emitted by TypeScript as the build does (file by file:
   * isolatedModules; ES modules, as NodeNext makes of a "type": "module" package), then run
   * as a program, the way npm's bin link runs it.
   */
  test('starts with #!/usr/bin/env node and runs as a program once built', () => {
    expect(readFileSync(ENTRY, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const { options } = ts.parseJsonConfigFileContent(JSON.parse(readFileSync('tsconfig.json', 'utf8')), ts.sys, '.');
    for (const file of importClosure(ENTRY)) {
      const js = join(out, file.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(js), { recursive: true });
      writeFileSync(js, ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { ...options, module: ts.ModuleKind.ES2022, sourceMap: false }, fileName: file }).outputText);
    }
    const bin = join(out, ENTRY.replace(/\.ts$/, '.js'));
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    chmodSync(bin, 0o755);
    expect(execFileSync(resolve(bin), ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })).toBe(`${VERSION}\n`);
  }, 60_000);
});

/** The project's .ts files `entry` imports statically, directly or not (what loading it needs). */
function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)\.js'/gm)) {
      visit(relative('.', resolve(dirname(file), `${spec}.ts`)));
    }
  };
  visit(entry);
  return [...seen];
}
