import { describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import { openRunStore } from '../store/run-store.ts';
import { computeReport, reportCsv, runMetrics } from './compute-report.ts';

describe('pilot metrics', () => {
  it('counts usage by role, reworks, escalations, tests, blocked attempts and conflicts', () => {
    const store = openRunStore({ path: ':memory:' });
    const w = store.createRun({ runId: 'r', ticket: 'Add CSV export, with "quotes"', workflow: 'feature', baseCommit: 'abc', maxWorkers: 2 });
    w.approvePlan({ version: w.proposePlan({ plan: makePlan([{ id: 'a', role: 'implementation' }, { id: 'b', role: 'docs' }]), source: 'proposed' }).version });
    w.append({ type: 'model_usage', role: 'planner', model: 'anthropic:x', usage: { inputTokens: 900, outputTokens: 100 }, costUsd: 0.5, calls: 2 });
    w.append({ type: 'task_started', taskId: 'a', attempt: 1 });
    w.append({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', usage: { inputTokens: 300, outputTokens: 50 }, costUsd: 0.01 });
    w.append({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: 'read_file' });
    w.append({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'error', name: 'access_denied', isError: true, detail: 'secret.txt' });
    w.append({ type: 'test_result', taskId: 'a', attempt: 1, suite: 'unit', passed: false });
    w.append({ type: 'review_decided', taskId: 'a', attempt: 1, decision: 'rework', reasons: ['scope_violation'] });
    w.append({ type: 'task_event', taskId: 'a', attempt: 2, kind: 'model_call', name: 'review', usage: { inputTokens: 100, outputTokens: 10 }, costUsd: 0.002 });
    w.append({ type: 'test_result', taskId: 'a', attempt: 2, suite: 'unit', passed: true, context: 'merge' });
    w.append({ type: 'merge_result', taskId: 'a', ok: false, conflictFiles: ['src/x.ts'] });
    w.append({ type: 'escalation_raised', escalationId: 'a-2', taskId: 'a', reason: 'conflict' });
    w.append({ type: 'task_status', taskId: 'b', status: 'done' });
    const m = runMetrics(store.state('r'), store.events('r'));
    expect(m).toMatchObject({ tokens: 1460, reworks: 1, escalations: 1, testsRun: 2, testsFailed: 1, outOfScopeBlocked: 2, mergeConflicts: 1, toolCalls: 1, tasks: { total: 2, done: 1 } });
    expect(m.byRole).toEqual({ planner: { tokens: 1000, costUsd: 0.5, modelCalls: 2 }, implementation: { tokens: 350, costUsd: 0.01, modelCalls: 1 }, reviewer: { tokens: 110, costUsd: 0.002, modelCalls: 1 } });
    const report = computeReport([m, { ...m, run: 'r2', outcome: 'succeeded' }]);
    expect(report.overall).toMatchObject({ runs: 2, succeeded: 1, tokens: 2920, reworks: 2 });
    const csv = reportCsv(report).split('\r\n');
    expect(csv[0]).toContain('run,workflow,outcome');
    expect(csv[1]).toContain('"Add CSV export, with ""quotes"""');
    store.close();
  });
});
