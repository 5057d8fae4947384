#!/usr/bin/env node
// Runs every benchmark (bench/*.ts and bench/*/run.ts), or those named on the command line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = [
  ...readdirSync(here).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)),
  ...readdirSync(here, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'run.ts')))
    .map((d) => `${d.name}/run`),
].sort();
const wanted = process.argv.slice(2);
const chosen = wanted.length > 0 ? all.filter((name) => wanted.some((w) => name.startsWith(w))) : all;
let failed = 0;
for (const name of chosen) {
  process.stdout.write(`\n### bench/${name}.ts\n`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
