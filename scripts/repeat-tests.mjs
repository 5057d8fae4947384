#!/usr/bin/env node
// Runs the given test files again and again and stops at the first failure, to show that a test
// holds many times in a row on this machine (e.g. the crash test: 20 times in a row).
// Usage: node scripts/repeat-tests.mjs <times> <test file>... [-- vitest options]
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [timesText, ...rest] = process.argv.slice(2);
const times = Number(timesText);
if (!Number.isInteger(times) || times < 1 || rest.length === 0) {
  process.stderr.write('usage: node scripts/repeat-tests.mjs <times> <test file>... [-- vitest options]\n');
  process.exit(2);
}
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const started = Date.now();
for (let i = 1; i <= times; i++) {
  const run = spawnSync(process.execPath, [vitest, 'run', ...rest.filter((a) => a !== '--')], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    process.stdout.write(`\nrun ${i} of ${times} failed after ${i - 1} in a row (exit ${run.status ?? run.signal})\n`);
    process.exit(1);
  }
  process.stdout.write(`\n${i}/${times} passed in a row (${Math.round((Date.now() - started) / 1000)} s so far)\n`);
}
process.stdout.write(`all ${times} runs passed in a row\n`);
