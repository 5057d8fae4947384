// Startup of baton-tools as MCP clients pay it on every session: spawn to the answer to
// tools/list (after initialize), over stdio. The shipped build (tsc emit, packages/mcp-tools/dist)
// is the baseline, against the TypeScript sources a clone runs and, with
// BATON_BENCH_ESBUILD=/path/to/esbuild, two esbuild bundles of the same entry: our code only
// (dependencies external) and everything inlined. Rounds interleave the variants.
// Builds the packages first when dist/ is missing. BENCH_STARTUP_ROUNDS (default 20).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMs, median } from './lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..', 'packages', 'mcp-tools');
const ROUNDS = Number(process.env['BENCH_STARTUP_ROUNDS'] ?? 20);

if (!existsSync(path.join(pkg, 'dist', 'cli', 'main.js'))) {
  const build = spawnSync(process.execPath, [path.join(here, '..', 'scripts', 'build-packages.mjs'), '--quiet'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}
const root = await mkdtemp(path.join(tmpdir(), 'baton-bench-startup-'));
await writeFile(path.join(root, 'notes.md'), 'hello\n');

const variants: { name: string; entry: string; times: number[] }[] = [
  { name: 'tsc build (shipped)', entry: path.join(pkg, 'dist', 'cli', 'main.js'), times: [] },
  { name: 'TypeScript sources (a clone)', entry: path.join(pkg, 'src', 'cli', 'main.ts'), times: [] },
];
const esbuild = process.env['BATON_BENCH_ESBUILD'];
if (esbuild) {
  // One folder below the package's, like dist/: bare imports resolve from its node_modules, ../package.json is its own.
  const common = [path.join(pkg, 'src', 'cli', 'main.ts'), '--bundle', '--platform=node', '--format=esm', '--target=node20', '--log-level=warning'];
  const external = path.join(pkg, '.bench-external', 'main.js');
  const inlined = path.join(pkg, '.bench-inlined', 'main.js');
  // The inlined bundle keeps @vscode/ripgrep out (its binary is found through it) and gives CommonJS dependencies a require.
  for (const [outfile, extra] of [
    [external, ['--packages=external']],
    [inlined, ['--external:@vscode/ripgrep', "--banner:js=import { createRequire as batonRequire } from 'node:module'; const require = batonRequire(import.meta.url);"]],
  ] as const) {
    const result = spawnSync(esbuild, [...common, ...extra, `--outfile=${outfile}`], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`esbuild failed for ${outfile}`);
  }
  variants.push({ name: 'esbuild, dependencies external', entry: external, times: [] }, { name: 'esbuild, dependencies inlined', entry: inlined, times: [] });
}

function startup(entry: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [entry, '--root', root], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"id":2')) {
        resolve(performance.now() - started);
        child.kill();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!out.includes('"id":2')) reject(new Error(`${entry} exited (${code}) before answering tools/list`));
    });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
  });
}

for (const variant of variants) await startup(variant.entry); // warm the file cache
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? variants : [...variants].reverse();
  for (const variant of order) variant.times.push(await startup(variant.entry));
}
const baseline = median(variants[0]!.times);
process.stdout.write(`baton-tools spawn -> tools/list answered, Node ${process.versions.node}, median of ${ROUNDS}:\n`);
for (const variant of variants) process.stdout.write(`  ${variant.name.padEnd(32)} ${formatMs(median(variant.times)).padStart(8)}  ratio ${(median(variant.times) / baseline).toFixed(2)}x\n`);
if (!esbuild) process.stdout.write('  (BATON_BENCH_ESBUILD=/path/to/esbuild adds two esbuild bundles)\n');
await rm(root, { recursive: true, force: true });
for (const dir of ['.bench-external', '.bench-inlined']) await rm(path.join(pkg, dir), { recursive: true, force: true });
