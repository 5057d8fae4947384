import { describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import { RunEventSchema, type RunEventInput, type StoredEvent } from './run-event.ts';
import { openEscalations, reduceRunEvents } from './run-state.ts';

function log(events: RunEventInput[]): StoredEvent[] {
  return events.map((e, i) => ({ ...RunEventSchema.parse(e), runId: 'r', seq: i + 1, at: `2025-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }));
}

const plan = makePlan([{ id: 'a', write_scope: ['a/**'] }, { id: 'b', depends_on: ['a'] }]);
const created: RunEventInput = { type: 'run_created', ticket: 't', workflow: 'feature', baseCommit: 'base', maxWorkers: 2, budgets: { tokens: 10 } };

describe('reduceRunEvents', () => {
  it('requires run_created first', () => {
    expect(() => reduceRunEvents([])).toThrow(/run_created/);
    expect(() => reduceRunEvents(log([{ type: 'task_started', taskId: 'a', attempt: 1 }]))).toThrow(/run_created/);
  });

  it('follows the plan lifecycle: proposed, edited, approved', () => {
    const edited = makePlan([{ id: 'a' }, { id: 'c' }]);
    const state = reduceRunEvents(
      log([
        created,
        { type: 'plan_invalid', attempt: 1, problems: ['cycle'] },
        { type: 'plan_proposed', version: 1, plan },
        { type: 'plan_edited', version: 2, plan: edited, warnings: ['w'] },
      ]),
    );
    expect(state.phase).toBe('awaiting_approval');
    expect(state.planInvalidAttempts).toBe(1);
    expect(state.taskOrder).toEqual(['a', 'c']);
    expect(state.planWarnings).toEqual(['w']);
    const approved = reduceRunEvents(log([created, { type: 'plan_proposed', version: 1, plan }, { type: 'plan_edited', version: 2, plan: edited }, { type: 'plan_approved', version: 1 }]));
    expect(approved.phase).toBe('running');
    expect(approved.approvedVersion).toBe(1);
    expect(approved.taskOrder).toEqual(['a', 'b']);
  });

  it('tracks task status, attempts, usage, cost, reviews, commits and escalations', () => {
    const events = log([
      created,
      { type: 'plan_proposed', version: 1, plan },
      { type: 'plan_approved', version: 1 },
      { type: 'task_started', taskId: 'a', attempt: 1 },
      { type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', usage: { inputTokens: 5, outputTokens: 2, cacheReadTokens: 3 }, costUsd: 0.5 },
      { type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: 'read_file' },
      { type: 'file_written', taskId: 'a', attempt: 1, path: 'a/x.ts' },
      { type: 'review_decided', taskId: 'a', attempt: 1, decision: 'rework', reasons: ['missing test'], feedback: 'add a test' },
      { type: 'task_status', taskId: 'a', status: 'rework' },
      { type: 'task_started', taskId: 'a', attempt: 2 },
      { type: 'task_event', taskId: 'a', attempt: 2, kind: 'model_call', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0.25 },
      { type: 'diff_recorded', taskId: 'a', attempt: 2, commit: 'c2', files: ['a/x.ts', 'a/x.test.ts'] },
      { type: 'test_result', taskId: 'a', attempt: 2, suite: 'unit', passed: true },
      { type: 'review_decided', taskId: 'a', attempt: 2, decision: 'accept', reasons: ['ok'] },
      { type: 'merge_result', taskId: 'a', ok: true, commit: 'm1', resolvedBy: 'clean' },
      { type: 'task_status', taskId: 'a', status: 'done' },
      { type: 'escalation_raised', escalationId: 'e1', taskId: 'b', reason: 'unclear' },
      { type: 'gate_result', phase: 1, passed: true },
      { type: 'budget', level: 'warning', resource: 'tokens', used: 9, limit: 10 },
    ]);
    const state = reduceRunEvents(events);
    const a = state.tasks['a']!;
    expect(a).toMatchObject({ status: 'done', attempts: 2, commit: 'c2', mergedCommit: 'm1', files: ['a/x.ts', 'a/x.test.ts'] });
    expect(a.lastReview).toEqual({ attempt: 2, decision: 'accept', reasons: ['ok'] });
    expect(a.usage).toMatchObject({ inputTokens: 6, outputTokens: 3, cacheReadTokens: 3, totalTokens: 9, costUsd: 0.75, modelCalls: 2, toolCalls: 1 });
    expect(state.usage.totalTokens).toBe(9);
    expect(a.finishedAt).toBe(events[15]!.at);
    expect(openEscalations(state).map((e) => e.id)).toEqual(['e1']);
    expect(state.gates[1]?.passed).toBe(true);
    expect(state.budgetEvents).toHaveLength(1);
    expect(state.lastSeq).toBe(events.length);

    const resolved = reduceRunEvents([...events, ...log([{ type: 'human_decision', escalationId: 'e1', decision: 'skip', note: 'not needed' }]).map((e) => ({ ...e, seq: 100 }))]);
    expect(openEscalations(resolved)).toEqual([]);
    expect(resolved.escalations[0]?.resolution).toMatchObject({ decision: 'skip', note: 'not needed', by: 'human' });
  });

  it('records approvals of needs_approval tasks', () => {
    const state = reduceRunEvents(log([created, { type: 'plan_proposed', version: 1, plan }, { type: 'human_decision', taskId: 'b', decision: 'approve' }]));
    expect(state.tasks['b']?.approval).toBe('approve');
  });

  it('puts in-flight work back to pending on resume and reopens a finished run', () => {
    const state = reduceRunEvents(
      log([
        created,
        { type: 'plan_proposed', version: 1, plan },
        { type: 'plan_approved', version: 1 },
        { type: 'task_started', taskId: 'a', attempt: 1 },
        { type: 'task_status', taskId: 'a', status: 'awaiting_review' },
        { type: 'run_finished', outcome: 'cancelled' },
        { type: 'run_resumed', pid: 1, interruptedTasks: ['a'] },
      ]),
    );
    expect(state.tasks['a']).toMatchObject({ status: 'pending', attempts: 1 });
    expect(state.phase).toBe('running');
    expect(state.outcome).toBeUndefined();
    expect(state.resumes).toBe(1);
  });

  it('remembers work the review accepted until it is merged, so a resume integrates it without redoing it', () => {
    const upTo = (extra: RunEventInput[]) =>
      reduceRunEvents(
        log([
          created,
          { type: 'plan_proposed', version: 1, plan },
          { type: 'plan_approved', version: 1 },
          { type: 'task_started', taskId: 'a', attempt: 1 },
          { type: 'diff_recorded', taskId: 'a', attempt: 1, commit: 'c1' },
          { type: 'review_decided', taskId: 'a', attempt: 1, decision: 'accept', reasons: [] },
          ...extra,
        ]),
      ).tasks['a']!;
    expect(upTo([{ type: 'run_resumed', pid: 2 }])).toMatchObject({ status: 'pending', accepted: { commit: 'c1', seq: 6 } });
    expect(upTo([{ type: 'merge_result', taskId: 'a', ok: true, commit: 'm1' }, { type: 'task_status', taskId: 'a', status: 'done' }]).accepted).toBeUndefined();
    // A merge whose tests failed sends the task back for rework: nothing is waiting to be merged.
    expect(upTo([{ type: 'merge_result', taskId: 'a', ok: false }, { type: 'task_status', taskId: 'a', status: 'rework' }, { type: 'run_resumed', pid: 2 }]).accepted).toBeUndefined();
    expect(upTo([{ type: 'task_status', taskId: 'a', status: 'pending', reason: 'stopped: budget' }]).accepted).toEqual({ commit: 'c1', seq: 6 });
  });

  it('a run whose planning failed is planned again on resume, and a hand-written plan reopens it for approval', () => {
    const failed: RunEventInput[] = [
      { ...created, autoApprove: true },
      { type: 'plan_invalid', attempt: 1, problems: ['tasks: a plan needs at least one task'], submitted: { summary: 's', tasks: [] } },
      { type: 'run_finished', outcome: 'failed', summary: 'planning failed' },
    ];
    const state = reduceRunEvents(log(failed));
    expect(state).toMatchObject({ phase: 'finished', outcome: 'failed', autoApprove: true, lastRefusedPlan: { submitted: { summary: 's', tasks: [] } } });
    expect(reduceRunEvents(log([...failed, { type: 'run_resumed', pid: 2 }])).phase).toBe('planning');
    const edited = reduceRunEvents(log([...failed, { type: 'plan_edited', version: 1, plan }]));
    expect(edited.phase).toBe('awaiting_approval');
    expect(edited.outcome).toBeUndefined();
  });

  it('is pure: the same events give the same state and are not modified', () => {
    const events = log([created, { type: 'plan_proposed', version: 1, plan }, { type: 'task_started', taskId: 'a', attempt: 1 }]);
    const snapshot = JSON.stringify(events);
    expect(reduceRunEvents(events)).toEqual(reduceRunEvents(events));
    expect(JSON.stringify(events)).toBe(snapshot);
  });
});
