// baton report through the real binary, against runs recorded in a temp repository's store:
// the text table, JSON with overall totals, CSV, and the --since / --run filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlan, openRepoStore } from '@baton/orchestrator';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { runBaton } from './helpers/run-cli.ts';

let repo: TestGitRepo;

interface ReportJson {
  runs: { run: string; outcome: string; tokens: number; reworks: number; outOfScopeBlocked: number; mergeConflicts: number; testsRun: number; testsFailed: number; byRole: Record<string, { tokens: number }> }[];
  overall: { runs: number; succeeded: number; tokens: number; escalations: number; outOfScopeBlocked: number };
}

beforeAll(async () => {
  repo = await makeGitRepo({ files: { 'src/users.ts': 'export const users = [];\n' } });
  const base = gitSync(repo.dir, ['rev-parse', 'HEAD']);
  // An October run that went well, recorded with the store's clock set back.
  const october = await openRepoStore({ repoRoot: repo.dir, now: () => new Date('2026-10-05T10:00:00Z') });
  const old = await october.createRun({ runId: 'oct', ticket: 'Rename Customer', workflow: 'refactor', baseCommit: base, maxWorkers: 1 });
  await old.approvePlan({ version: (await old.proposePlan({ plan: makePlan([{ id: 'rename', role: 'refactor' }], { ticket: 'Rename Customer', workflow: 'refactor' }), source: 'proposed' })).version });
  await old.append({ type: 'model_usage', role: 'planner', model: 'scripted:p', usage: { inputTokens: 400, outputTokens: 100 } });
  await old.append({ type: 'task_started', taskId: 'rename', attempt: 1 });
  await old.append({ type: 'task_event', taskId: 'rename', attempt: 1, kind: 'model_call', usage: { inputTokens: 1000, outputTokens: 200 }, costUsd: 0.01 });
  await old.append({ type: 'test_result', taskId: 'rename', attempt: 1, suite: 'unit', passed: true });
  await old.append({ type: 'task_status', taskId: 'rename', status: 'done' });
  await old.append({ type: 'run_finished', outcome: 'succeeded' });
  await old.release();
  await october.close();

  // A November run with a blocked read, a scope rework, a failing test and a conflict.
  const november = await openRepoStore({ repoRoot: repo.dir, now: () => new Date('2026-11-20T10:00:00Z') });
  const w = await november.createRun({ runId: 'nov', ticket: 'Add CSV export, "admin" list', workflow: 'feature', baseCommit: base, maxWorkers: 2 });
  await w.approvePlan({ version: (await w.proposePlan({ plan: makePlan([{ id: 'csv', role: 'implementation', write_scope: ['src/**'] }, { id: 'docs', role: 'docs' }]), source: 'proposed' })).version });
  await w.append({ type: 'task_started', taskId: 'csv', attempt: 1 });
  await w.append({ type: 'task_event', taskId: 'csv', attempt: 1, kind: 'model_call', usage: { inputTokens: 2000, outputTokens: 500 }, costUsd: 0.03 });
  await w.append({ type: 'task_event', taskId: 'csv', attempt: 1, kind: 'error', name: 'access_denied', isError: true, detail: 'blocked access outside the grant: .env' });
  await w.append({ type: 'test_result', taskId: 'csv', attempt: 1, suite: 'unit', passed: false });
  await w.append({ type: 'review_decided', taskId: 'csv', attempt: 1, decision: 'rework', reasons: ['scope_violation'] });
  await w.append({ type: 'task_started', taskId: 'docs', attempt: 1 });
  await w.append({ type: 'review_decided', taskId: 'docs', attempt: 1, decision: 'accept', reasons: [] });
  await w.append({ type: 'merge_result', taskId: 'docs', ok: false, conflictFiles: ['README.md'] });
  await w.append({ type: 'escalation_raised', escalationId: 'docs-1', taskId: 'docs', reason: 'merge conflict in README.md' });
  await w.append({ type: 'run_finished', outcome: 'escalated' });
  await w.release();
  await november.close();
});

afterAll(async () => repo.cleanup());

describe('baton report', () => {
  it('prints a table per run with overall totals', async () => {
    const result = await runBaton(['report', '--repo', repo.dir]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^RUN\s+OUTCOME\s+WALL\s+TOKENS\s+COST/);
    // Oldest first.
    expect(lines[1]).toMatch(/^oct\s+succeeded\s/);
    expect(lines[2]).toMatch(/^nov\s+escalated\s/);
    expect(result.stdout).toContain('overall: 2 run(s), 1 succeeded');
    expect(result.stdout).toContain('out-of-scope attempts blocked: 2 (1 file accesses refused, 1 diffs sent back by review)');
    expect(result.stdout).toMatch(/planner\s+500 tokens/);
  });

  it('prints JSON with per-run metrics and overall totals', async () => {
    const result = await runBaton(['report', '--json', '--repo', repo.dir]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReportJson;
    expect(report.overall).toMatchObject({ runs: 2, succeeded: 1, tokens: 500 + 1200 + 2500, escalations: 1, outOfScopeBlocked: 2 });
    const nov = report.runs.find((r) => r.run === 'nov')!;
    expect(nov).toMatchObject({ reworks: 1, outOfScopeBlocked: 2, mergeConflicts: 1, testsRun: 1, testsFailed: 1 });
    expect(nov.byRole).toEqual({ implementation: { tokens: 2500, costUsd: 0.03, modelCalls: 1 } });
    expect(report.runs.find((r) => r.run === 'oct')!.byRole['refactor']).toMatchObject({ tokens: 1200 });
  });

  it('prints RFC 4180 CSV, one row per run', async () => {
    const result = await runBaton(['report', '--csv', '--repo', repo.dir]);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows[3]).toBe('');
    expect(rows[0]!.startsWith('run,workflow,outcome,created_at,')).toBe(true);
    expect(rows[2]!.startsWith('nov,feature,escalated,2026-11-20T10:00:00')).toBe(true);
    expect(rows[2]!.endsWith(',"Add CSV export, ""admin"" list"')).toBe(true);
  });

  it('filters by --since and --run', async () => {
    const since = JSON.parse((await runBaton(['report', '--json', '--since', '2026-11-01', '--repo', repo.dir])).stdout) as ReportJson;
    expect(since.runs.map((r) => r.run)).toEqual(['nov']);
    const one = JSON.parse((await runBaton(['report', '--json', '--run', 'oct', '--repo', repo.dir])).stdout) as ReportJson;
    expect(one.runs.map((r) => r.run)).toEqual(['oct']);
    expect(one.overall).toMatchObject({ runs: 1, succeeded: 1 });
  });

  it('rejects a bad date, an unknown run and --json with --csv as usage errors', async () => {
    const badDate = await runBaton(['report', '--since', 'last tuesday', '--repo', repo.dir]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--since last tuesday is not a date');
    const unknown = await runBaton(['report', '--run', 'nope', '--repo', repo.dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run nope');
    const both = await runBaton(['report', '--json', '--csv', '--repo', repo.dir]);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/cannot be used with/);
  });
});
