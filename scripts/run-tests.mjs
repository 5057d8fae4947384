#!/usr/bin/env node
// Runs the whole test suite with vitest and ends with one plain summary line
// ("N passed, N failed, N skipped") that CI and people can read at a glance.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'baton-vitest-'));
const report = join(scratch, 'report.json');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
let code = result.status ?? 1;
try {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  process.stdout.write(`\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped\n`);
  if (summary.numTotalTests === 0) {
    process.stdout.write('no tests ran\n');
    code = 1;
  }
} catch {
  process.stdout.write('test report missing: vitest did not finish\n');
  code = code || 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
