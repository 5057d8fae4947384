// Language servers behind the code-intelligence tools, on generated ~2,000-file projects: the
// TypeScript server on a TypeScript project and pyright on a Python one. For each: cold start (a
// new server to its first answer, project load included), warm query latency per tool, memory of
// the server's whole process tree, and a whole-workspace diagnostics pass. Baselines run side by
// side: the same server without the sandbox (the sandbox's cost as a ratio), and ripgrep `search`
// for the identifier find_references resolves (what a language server costs over text search).
// Figures are printed and written to bench/results/lsp.json.
//
//   node bench/lsp/run.ts            BENCH_LSP_FILES=2000 BENCH_LSP_COLD_ROUNDS=3 BENCH_LSP_WARM_ROUNDS=15
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createLanguageServerPool,
  diagnosticsTool,
  directLauncher,
  documentSymbolsTool,
  findReferencesTool,
  findSymbolTool,
  GrantSchema,
  gotoDefinitionTool,
  searchTool,
  type DiagnosticsOutput,
  type FindReferencesOutput,
  type GotoDefinitionOutput,
  type LanguageServerPool,
  type LanguageServerPoolOptions,
  type ToolContext,
} from '@baton/mcp-tools';
import { formatMs, interleave, median, percentile } from '../lib/stats.ts';
import { ensurePythonProject, ensureTypeScriptProject, type GeneratedProject } from './projects.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILES = Number(process.env.BENCH_LSP_FILES ?? 2_000);
const COLD_ROUNDS = Number(process.env.BENCH_LSP_COLD_ROUNDS ?? 3);
const WARM_ROUNDS = Number(process.env.BENCH_LSP_WARM_ROUNDS ?? 15);
const MB = 1024 * 1024;

function contextFor(root: string, pool: LanguageServerPool | undefined): ToolContext {
  return {
    grant: GrantSchema.parse({ read: ['**'], limits: { maxResults: 100_000, maxOutputBytes: 10_000_000 } }),
    root,
    signal: new AbortController().signal,
    log: () => {},
    ...(pool ? { languageServers: pool } : {}),
  };
}

const poolOptions = (sandboxed: boolean): LanguageServerPoolOptions => ({ limits: { memoryCheckMs: 250, queryTimeoutMs: 300_000, startTimeoutMs: 300_000 }, ...(sandboxed ? {} : { launcher: directLauncher() }) });

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

function summary(values: number[]) {
  return { median_ms: round(median(values)), p90_ms: round(percentile(values, 90)), samples: values.map(round) };
}

const round = (n: number) => Math.round(n * 10) / 10;

async function benchServer(label: string, project: GeneratedProject) {
  const goto = (ctx: ToolContext) => gotoDefinitionTool.run({ path: project.probe.path, line: project.probe.line, column: project.probe.column }, ctx) as Promise<GotoDefinitionOutput>;
  const expectDefinition = (out: GotoDefinitionOutput) => {
    if (!out.definitions.some((d) => d.text.includes(project.probe.callee))) throw new Error(`${label}: goto_definition answered ${JSON.stringify(out.definitions)}`);
  };

  // Cold start: a new pool (so a new server) to the first answer, sandboxed and not, alternately.
  const coldMemory: number[] = [];
  const cold = async (sandboxed: boolean) => {
    const pool = createLanguageServerPool(poolOptions(sandboxed));
    try {
      const { ms, value } = await timed(() => goto(contextFor(project.root, pool)));
      expectDefinition(value);
      if (sandboxed) coldMemory.push(pool.servers()[0]!.memoryBytes());
      return ms;
    } finally {
      await pool.close();
    }
  };
  const coldRuns = await interleave(COLD_ROUNDS, () => cold(true), () => cold(false));

  // Warm queries against servers that have answered once.
  const sandboxedPool = createLanguageServerPool(poolOptions(true));
  const directPool = createLanguageServerPool(poolOptions(false));
  const ctx = contextFor(project.root, sandboxedPool);
  const directCtx = contextFor(project.root, directPool);
  try {
    expectDefinition(await goto(ctx));
    expectDefinition(await goto(directCtx));
    const warmGoto = await interleave(WARM_ROUNDS, async () => (await timed(() => goto(ctx))).ms, async () => (await timed(() => goto(directCtx))).ms);
    const referencesRun = (c: ToolContext) => findReferencesTool.run({ path: project.probe.path, line: project.probe.line, column: project.probe.column }, c) as Promise<FindReferencesOutput>;
    const searchRun = async () => {
      const out = (await searchTool.run({ query: project.probe.callee, regex: false, case_sensitive: true }, contextFor(project.root, undefined))) as { matches: unknown[] };
      return out.matches.length;
    };
    const referenceCount = (await referencesRun(ctx)).total;
    const searchCount = await searchRun();
    const referencesVsSearch = await interleave(WARM_ROUNDS, async () => (await timed(() => referencesRun(ctx))).ms, async () => (await timed(searchRun)).ms);
    const many = await timed(() => findReferencesTool.run({ symbol: project.popular, max_results: 100_000 }, ctx) as Promise<FindReferencesOutput>);
    const outline: number[] = [];
    const symbols: number[] = [];
    const fileDiagnostics: number[] = [];
    for (let i = 0; i < WARM_ROUNDS; i++) {
      outline.push((await timed(() => documentSymbolsTool.run({ path: project.probe.path }, ctx))).ms);
      symbols.push((await timed(() => findSymbolTool.run({ query: project.className }, ctx))).ms);
      fileDiagnostics.push((await timed(() => diagnosticsTool.run({ path: project.probe.path }, ctx))).ms);
    }
    const server = sandboxedPool.servers()[0]!;
    const warmRss = server.memoryBytes();
    const workspace = await timed(() => diagnosticsTool.run({}, ctx) as Promise<DiagnosticsOutput>);
    const afterWorkspaceRss = server.memoryBytes();
    const figures = {
      files: project.files,
      cold_start: { sandboxed: summary(coldRuns.a), unsandboxed: summary(coldRuns.b), ratio: round((median(coldRuns.a) / median(coldRuns.b)) * 1000) / 1000 },
      warm: {
        goto_definition: { sandboxed: summary(warmGoto.a), unsandboxed: summary(warmGoto.b), ratio: round((median(warmGoto.a) / median(warmGoto.b)) * 1000) / 1000 },
        find_references: { ...summary(referencesVsSearch.a), references: referenceCount },
        search_same_identifier: { ...summary(referencesVsSearch.b), matches: searchCount },
        find_references_vs_search_ratio: round((median(referencesVsSearch.a) / median(referencesVsSearch.b)) * 1000) / 1000,
        find_references_popular: { ms: round(many.ms), references: many.value.total, symbol: project.popular },
        document_symbols: summary(outline),
        find_symbol: summary(symbols),
        diagnostics_one_file: summary(fileDiagnostics),
      },
      workspace_diagnostics: { ms: round(workspace.ms), files_checked: workspace.value.files_checked, files_unchecked: workspace.value.files_unchecked, problems: workspace.value.total },
      memory_mb: {
        after_first_answer: round(median(coldMemory) / MB),
        after_warm_queries: round(warmRss / MB),
        after_workspace_diagnostics: round(afterWorkspaceRss / MB),
        peak: round(server.peakMemoryBytes / MB),
      },
    };
    return figures;
  } finally {
    await sandboxedPool.close();
    await directPool.close();
  }
}

function print(label: string, f: Awaited<ReturnType<typeof benchServer>>): void {
  const line = (name: string, s: { median_ms: number; p90_ms: number }) => `  ${name.padEnd(34)} median ${formatMs(s.median_ms).padStart(9)}   p90 ${formatMs(s.p90_ms).padStart(9)}`;
  console.log(`${label} on ${f.files} generated files`);
  console.log(`  cold start to first answer (sandboxed)   median ${formatMs(f.cold_start.sandboxed.median_ms)} vs ${formatMs(f.cold_start.unsandboxed.median_ms)} unsandboxed baseline -> ratio ${f.cold_start.ratio.toFixed(3)}x`);
  console.log(`  warm goto_definition (sandboxed)         median ${formatMs(f.warm.goto_definition.sandboxed.median_ms)} vs ${formatMs(f.warm.goto_definition.unsandboxed.median_ms)} unsandboxed baseline -> ratio ${f.warm.goto_definition.ratio.toFixed(3)}x`);
  console.log(`  warm find_references (${f.warm.find_references.references} refs)       median ${formatMs(f.warm.find_references.median_ms)} vs search ${formatMs(f.warm.search_same_identifier.median_ms)} (${f.warm.search_same_identifier.matches} text matches) baseline -> ratio ${f.warm.find_references_vs_search_ratio.toFixed(3)}x`);
  console.log(`  find_references of ${f.warm.find_references_popular.symbol} (${f.warm.find_references_popular.references} refs)   ${formatMs(f.warm.find_references_popular.ms)}`);
  console.log(line('warm document_symbols', f.warm.document_symbols));
  console.log(line('warm find_symbol', f.warm.find_symbol));
  console.log(line('warm diagnostics (one file)', f.warm.diagnostics_one_file));
  console.log(`  diagnostics of the whole workspace       ${formatMs(f.workspace_diagnostics.ms)} (${f.workspace_diagnostics.files_checked} files checked, ${f.workspace_diagnostics.files_unchecked} left for the time limit)`);
  console.log(`  memory of the server's processes (RSS)   ${f.memory_mb.after_first_answer} MiB after the first answer, ${f.memory_mb.after_warm_queries} MiB warm, ${f.memory_mb.after_workspace_diagnostics} MiB after whole-workspace diagnostics, peak ${f.memory_mb.peak} MiB`);
}

// Outside this repository: a server that sees a project's ancestors (unsandboxed) would load baton's own
// package.json dependencies for auto-imports, which no real workspace's server does.
const dataDir = path.join(os.tmpdir(), 'baton-bench-lsp');
const typescript = await benchServer('typescript-language-server + TypeScript', await ensureTypeScriptProject(path.join(dataDir, `lsp-ts-${FILES}`), FILES));
print('typescript-language-server + TypeScript', typescript);
const pyright = await benchServer('pyright', await ensurePythonProject(path.join(dataDir, `lsp-py-${FILES}`), FILES));
print('pyright', pyright);

const results = path.join(here, '..', 'results');
mkdirSync(results, { recursive: true });
const out = path.join(results, 'lsp.json');
writeFileSync(out, `${JSON.stringify({ measured_at: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, cold_rounds: COLD_ROUNDS, warm_rounds: WARM_ROUNDS, typescript, pyright }, null, 2)}\n`);
console.log(`figures written to ${path.relative(process.cwd(), out)}`);
