// SLOW (minutes; npm downloads every dependency, about 1 GB with the agent CLIs): the three
// packages packed and installed the way users get them, in a clean temp directory with the
// machine's own Node and npm and no way back into this repository. npx baton-tools serves MCP to
// the Inspector on the system's Node, a global install runs baton demo without a network, baton
// init and plan on another repository, the dashboard, doctor; a project that installs the tarballs
// resolves every export with its types. Each check is in scripts/check-packages.mjs, which this
// runs. Not part of `npm test`: `npm run test:slow` (CI runs it after npm test).
// BATON_CHECK_NPM_CACHE=DIR reuses an npm cache between runs instead of a fresh one.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/run-cli.ts';

interface CheckResult {
  name: string;
  ok: boolean;
  skipped?: boolean;
  seconds: number;
  detail: string;
}

/** Checks that must be in the report whatever the machine (names start with these). */
const REQUIRED = [
  'pack',
  'contents of @baton/mcp-tools',
  'contents of @baton/worker-host',
  'contents of @baton/orchestrator',
  'npx baton-tools',
  'MCP Inspector CLI against npx baton-tools',
  'npm i -g the three tarballs',
  'nothing runs at install time but known scripts',
  'baton demo',
  'baton doctor finds the packaged ripgrep',
  'baton ui serves the dashboard from the package',
  'baton init and baton plan on another repository',
  'exports and their types resolve in the project (tsc)',
  '@baton/mcp-tools imports on Node 20 and later',
  'npx baton init in the project names the schema in node_modules',
];

let dir: string;
let results: CheckResult[] = [];
let output = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-clean-install-'));
  const report = path.join(dir, 'report.json');
  const cache = process.env['BATON_CHECK_NPM_CACHE'];
  const args = [path.join(REPO_ROOT, 'scripts', 'check-packages.mjs'), '--report', report, ...(cache ? ['--npm-cache', cache] : [])];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  const written = await readFile(report, 'utf8').catch(() => undefined);
  if (written === undefined) throw new Error(`scripts/check-packages.mjs wrote no report:\n${output}`);
  results = (JSON.parse(written) as { results: CheckResult[] }).results;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the packed packages in a clean directory', () => {
  it.each(REQUIRED)('%s', (name) => {
    const result = results.find((r) => r.name.startsWith(name));
    expect(result, `no "${name}" check ran:\n${output}`).toBeDefined();
    expect(result?.ok, `${result?.name}: ${result?.detail}`).toBe(true);
  });

  it('every check passed, those this machine adds included', () => {
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`);
    expect(failed, output).toEqual([]);
  });
});
