// Regressions by test: the same suites run on the run's base commit and on its branch tip,
// each in a fresh detached worktree with what the workspace settings provide, through the
// sandboxed run_tests tool. A regression is a
// test that passes on the base and fails on the branch (by name where the runner names its
// failing tests, else the whole suite).
import { ALL_TOOLS, GrantSchema, invokeTool, splitCommandLine, type TestLink } from '@baton/mcp-tools';
import { prepareWorkspace } from '../workspace/prepare-workspace.ts';
import { addRunWorktree, removeRunWorktree } from '../workspace/run-worktrees.ts';
import type { RunEventInput } from '../store/run-event.ts';
import type { WorkspaceProvisions } from '../workspace/workspace-provisions.ts';

export interface SuiteRun {
  passed: boolean;
  failing: string[];
}

/** Runs one named suite in a checkout, sandboxed like a worker's tests. */
export async function runSuite(options: { dir: string; suite: string; command: string; signal?: AbortSignal; timeoutSeconds?: number; links?: readonly TestLink[] }): Promise<SuiteRun> {
  const tool = ALL_TOOLS.find((t) => t.name === 'run_tests')!;
  const grant = GrantSchema.parse({
    id: `regressions-${options.suite}`,
    tools: ['run_tests'],
    read: ['**'],
    tests: { [options.suite]: { argv: splitCommandLine(options.command) } },
    ...(options.links?.length ? { testLinks: options.links } : {}),
    ...(options.timeoutSeconds !== undefined ? { limits: { testTimeoutSeconds: options.timeoutSeconds } } : {}),
  });
  const result = await invokeTool(tool, { suite: options.suite }, options.signal ?? new AbortController().signal, { root: options.dir, grant, sessionId: 'regressions' });
  const structured = (result.structuredContent ?? {}) as { status?: string; failing?: string[] };
  return { passed: result.isError !== true && structured.status === 'passed', failing: structured.failing ?? [] };
}

/** What changed between the base and the branch, suite by suite (pure). */
export function compareSuites(results: readonly { suite: string; base: SuiteRun; run: SuiteRun }[]): { suites: { suite: string; base: 'passed' | 'failed'; run: 'passed' | 'failed'; newlyFailing: string[] }[]; regressions: string[] } {
  const suites = results.map(({ suite, base, run }) => {
    const before = new Set(base.failing);
    const newlyFailing = run.passed ? [] : run.failing.filter((name) => !before.has(name));
    return { suite, base: base.passed ? 'passed' as const : 'failed' as const, run: run.passed ? 'passed' as const : 'failed' as const, newlyFailing };
  });
  const regressions = suites.flatMap((s) => {
    if (s.run === 'passed') return [];
    if (s.newlyFailing.length > 0) return s.newlyFailing.map((name) => `${s.suite}: ${name}`);
    // The runner named nothing new: the suite as a whole regressed only if it passed on the base.
    return s.base === 'passed' ? [s.suite] : [];
  });
  return { suites, regressions };
}

export async function checkRegressions(options: { repo: string; runId: string; baseCommit: string; runCommit: string; suites: Readonly<Record<string, string>>; signal?: AbortSignal; timeoutSeconds?: number; provisions?: WorkspaceProvisions }): Promise<Extract<RunEventInput, { type: 'regression_check' }>> {
  // Checkouts of the run's own, made and removed where baton makes all of them (serialized, repaired after a kill).
  const dirs: { base?: string; run?: string } = {};
  try {
    dirs.base = await addRunWorktree({ repo: options.repo, runId: options.runId, leaf: 'regressions-base', start: { kind: 'detached', commit: options.baseCommit } });
    dirs.run = await addRunWorktree({ repo: options.repo, runId: options.runId, leaf: 'regressions-run', start: { kind: 'detached', commit: options.runCommit } });
    if (options.provisions) for (const dir of [dirs.base, dirs.run]) await prepareWorkspace({ dir, provisions: options.provisions, ...(options.signal ? { signal: options.signal } : {}) });
    const results = [];
    for (const [suite, command] of Object.entries(options.suites)) {
      const common = { suite, command, ...(options.signal ? { signal: options.signal } : {}), ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}), links: options.provisions?.links ?? [] };
      results.push({ suite, base: await runSuite({ dir: dirs.base, ...common }), run: await runSuite({ dir: dirs.run, ...common }) });
    }
    return { type: 'regression_check', baseCommit: options.baseCommit, runCommit: options.runCommit, ...compareSuites(results) };
  } finally {
    for (const dir of [dirs.base, dirs.run]) if (dir) await removeRunWorktree({ repo: options.repo, dir });
  }
}
