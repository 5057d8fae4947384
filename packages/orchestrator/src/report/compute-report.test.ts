import { describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import type { RunEventInput } from '../store/run-event.ts';
import { openRunStore } from '../store/open-store.ts';
import { type RunStore } from '../store/run-store.ts';
import { computeReport, runMetrics, type RunMetrics } from './compute-report.ts';
import { csvField, reportCsv } from './report-csv.ts';
import { reportTable } from './report-table.ts';

/** A run recorded through the real store (so events carry seq and time), then its metrics. */
async function metricsOf(store: RunStore, runId: string, ticket: string, events: RunEventInput[]): Promise<RunMetrics> {
  const w = await store.createRun({ runId, ticket, workflow: 'feature', baseCommit: 'abc', maxWorkers: 2 });
  await w.approvePlan({ version: (await w.proposePlan({ plan: makePlan([{ id: 'a', role: 'implementation' }, { id: 'b', role: 'docs' }, { id: 'c', role: 'tests' }]), source: 'proposed' })).version });
  for (const e of events) await w.append(e);
  await w.release();
  return runMetrics(await store.state(runId), await store.events(runId));
}

const eventful: RunEventInput[] = [
  { type: 'model_usage', role: 'planner', model: 'anthropic:x', usage: { inputTokens: 900, outputTokens: 100 }, costUsd: 0.5, calls: 2 },
  { type: 'task_started', taskId: 'a', attempt: 1 },
  { type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', usage: { inputTokens: 300, outputTokens: 50 }, costUsd: 0.01 },
  { type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: 'read_file' },
  { type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: 'read_file', isError: true, detail: 'read secret.txt [permission_denied: outside the grant]' },
  { type: 'task_event', taskId: 'a', attempt: 1, kind: 'error', name: 'access_denied', isError: true, detail: 'blocked access outside the grant: secret.txt' },
  { type: 'test_result', taskId: 'a', attempt: 1, suite: 'unit', passed: false },
  { type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', name: 'review', usage: { inputTokens: 100, outputTokens: 10 }, costUsd: 0.002 },
  { type: 'review_decided', taskId: 'a', attempt: 1, decision: 'rework', reasons: ['scope_violation'] },
  { type: 'task_started', taskId: 'a', attempt: 2 },
  { type: 'task_event', taskId: 'a', attempt: 2, kind: 'model_call', usage: { inputTokens: 200, outputTokens: 20 }, costUsd: 0.004 },
  { type: 'test_result', taskId: 'a', attempt: 2, suite: 'unit', passed: true },
  { type: 'review_decided', taskId: 'a', attempt: 2, decision: 'accept', reasons: [] },
  // The merge worker reports under the task it reconciles, after the accepting review.
  { type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', usage: { inputTokens: 40, outputTokens: 4 }, costUsd: 0.001 },
  { type: 'merge_result', taskId: 'a', ok: true, commit: 'c1', resolvedBy: 'merge_worker' },
  { type: 'task_status', taskId: 'a', status: 'done' },
  { type: 'task_started', taskId: 'b', attempt: 1 },
  { type: 'review_decided', taskId: 'b', attempt: 1, decision: 'accept', reasons: [] },
  { type: 'merge_result', taskId: 'b', ok: false, conflictFiles: ['README.md'] },
  { type: 'escalation_raised', escalationId: 'b-1', taskId: 'b', reason: 'conflict' },
  { type: 'task_status', taskId: 'b', status: 'failed' },
  { type: 'task_status', taskId: 'c', status: 'skipped' },
  { type: 'test_result', suite: 'unit', passed: true, context: 'final' },
  { type: 'run_finished', outcome: 'escalated' },
];

describe('runMetrics', () => {
  it('charges usage to the task role, the reviewer, the planner and the merge worker', async () => {
    const store = openRunStore({ path: ':memory:' });
    const m = await metricsOf(store, 'r', 'Add CSV export', eventful);
    expect(m.byRole).toEqual({
      planner: { tokens: 1000, costUsd: 0.5, modelCalls: 2 },
      implementation: { tokens: 570, costUsd: 0.014, modelCalls: 2 },
      reviewer: { tokens: 110, costUsd: 0.002, modelCalls: 1 },
      merge: { tokens: 44, costUsd: 0.001, modelCalls: 1 },
    });
    // The total is the store's own count, and agrees with the per-role split.
    expect(m.tokens).toBe(1000 + 570 + 110 + 44);
    await store.close();
  });

  it('counts tasks, reworks, escalations, tests, blocked attempts and conflicts', async () => {
    const store = openRunStore({ path: ':memory:' });
    const m = await metricsOf(store, 'r', 'Add CSV export', eventful);
    expect(m).toMatchObject({
      outcome: 'escalated',
      tasks: { total: 3, done: 1, failed: 1, skipped: 1 },
      reworks: 1,
      escalations: 1,
      testsRun: 3,
      testsFailed: 1,
      accessDenied: 1,
      scopeViolations: 1,
      outOfScopeBlocked: 2,
      mergeConflicts: 2,
      mergeConflictsResolved: 1,
      toolCalls: 2,
      toolErrors: 1,
    });
    expect(m.wallSeconds).toBeGreaterThanOrEqual(0);
    await store.close();
  });

  it('gives zeros for a run that only has a plan', async () => {
    const store = openRunStore({ path: ':memory:' });
    const m = await metricsOf(store, 'quiet', 'Nothing yet', []);
    expect(m).toMatchObject({ outcome: 'running', tokens: 0, byRole: {}, reworks: 0, testsRun: 0, outOfScopeBlocked: 0, mergeConflicts: 0, tasks: { total: 3, done: 0 } });
    await store.close();
  });
});

describe('computeReport', () => {
  it('sums runs into overall totals, per role too', async () => {
    const store = openRunStore({ path: ':memory:' });
    const one = await metricsOf(store, 'r1', 'one', eventful);
    const two = await metricsOf(store, 'r2', 'two', [{ type: 'model_usage', role: 'planner', model: 'm', usage: { inputTokens: 10, outputTokens: 0 } }, { type: 'run_finished', outcome: 'succeeded' }]);
    const report = computeReport([one, two]);
    expect(report.runs.map((r) => r.run)).toEqual(['r1', 'r2']);
    expect(report.overall).toMatchObject({ runs: 2, succeeded: 1, tokens: one.tokens + 10, reworks: 1, outOfScopeBlocked: 2, mergeConflicts: 2, tasks: { total: 6, done: 1, failed: 1, skipped: 1 } });
    expect(report.overall.byRole['planner']).toEqual({ tokens: 1010, costUsd: 0.5, modelCalls: 3 });
    expect(computeReport([]).overall).toMatchObject({ runs: 0, tokens: 0, byRole: {} });
    await store.close();
  });

  it('names the worker node that ran each task’s latest attempt, per run and over the pilot', async () => {
    const store = openRunStore({ path: ':memory:' });
    const local = await metricsOf(store, 'r1', 'one machine', eventful);
    const onNodes = await metricsOf(store, 'r2', 'on nodes', [
      { type: 'task_claimed', taskId: 'a', attempt: 1, node: 'node-a', claim: 1 },
      { type: 'task_claimed', taskId: 'a', attempt: 2, node: 'node-b', claim: 1, previousNode: 'node-a' },
      { type: 'task_started', taskId: 'b', attempt: 1, node: 'node-a' },
      { type: 'run_finished', outcome: 'succeeded' },
    ]);
    expect(local.nodes).toEqual({});
    expect(onNodes.nodes).toEqual({ 'node-b': ['a'], 'node-a': ['b'] });
    expect(computeReport([local, onNodes]).overall.nodes).toEqual({ 'node-b': ['r2/a'], 'node-a': ['r2/b'] });
    await store.close();
  });
});

describe('reportCsv', () => {
  it('quotes fields per RFC 4180 and has a column pair per role', async () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const store = openRunStore({ path: ':memory:' });
    const report = computeReport([await metricsOf(store, 'r', 'Add CSV export, with "quotes"\nand a second line', eventful)]);
    const csv = reportCsv(report);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, row, ...rest] = csv.split('\r\n');
    expect(rest).toEqual(['']);
    const columns = header!.split(',');
    expect(columns.slice(0, 3)).toEqual(['run', 'workflow', 'outcome']);
    expect(columns).toContain('tokens_merge');
    expect(columns.at(-1)).toBe('ticket');
    // The ticket's first line only, quoted because of its comma and quotes.
    expect(row!.endsWith(',"Add CSV export, with ""quotes"""')).toBe(true);
    const cells = row!.split(',');
    expect(cells[columns.indexOf('tokens_planner')]).toBe('1000');
    expect(cells[columns.indexOf('merge_conflicts')]).toBe('2');
    await store.close();
  });
});

describe('reportTable', () => {
  it('lines runs up under the header and ends with the totals', async () => {
    const store = openRunStore({ path: ':memory:' });
    const report = computeReport([await metricsOf(store, 'r-with-a-long-id', 'one', eventful), await metricsOf(store, 'r2', 'two', [])]);
    const lines = reportTable(report).split('\n');
    expect(lines[0]).toMatch(/^RUN\s+OUTCOME\s+WALL/);
    expect(lines[1]!.indexOf('escalated')).toBe(lines[0]!.indexOf('OUTCOME'));
    expect(lines[2]!.indexOf('running')).toBe(lines[0]!.indexOf('OUTCOME'));
    expect(lines[1]).toContain('2 (1 resolved)');
    const text = lines.join('\n');
    expect(text).toContain('overall: 2 run(s), 0 succeeded');
    expect(text).toContain('out-of-scope attempts blocked: 2 (1 file accesses refused, 1 diffs sent back by review)');
    expect(text).toMatch(/merge\s+44 tokens/);
    expect(reportTable(computeReport([]))).toContain('no runs match');
    await store.close();
  });
});
