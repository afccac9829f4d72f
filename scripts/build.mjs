#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run build`: the hub and cpisx compiled to plain JavaScript (dist/ unless `--outDir`),
 * with every file the code reads by path at run time next to it, so `node dist/engine/main.js`
 * needs nothing but dist/, package.json and the production node_modules. Plain JavaScript,
 * so building needs no tsx. Other arguments go to tsc (the tests pass --noCheck: `npm run lint`
 * type-checks, and the emitted code is the same).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Read through `new URL(..., import.meta.url)`: the same path relative to the compiled module. */
const RUNTIME_FILES = [
  'schemas',
  'engine/mailbox/lua',
  'engine/register/lua',
  'engine/console/ui/static',
];
const EXECUTABLES = ['adapters/cli/cpisx.js'];

const args = process.argv.slice(2);
const at = args.indexOf('--outDir');
const outDir = resolve(at >= 0 ? args.splice(at, 2)[1] : join(ROOT, 'dist'));

if (!relative(outDir, ROOT).startsWith('..')) throw new Error(`--outDir ${outDir} holds the project: give a folder of its own`);
// A file deleted from the source must not live on in the build.
rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir, ...args], { stdio: 'inherit' });
for (const path of RUNTIME_FILES) cpSync(join(ROOT, path), join(outDir, path), { recursive: true });
for (const path of EXECUTABLES) chmodSync(join(outDir, path), 0o755);
