import { beforeEach, describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import { openRunStore } from '../store/open-store.ts';
import { type RunStore } from '../store/run-store.ts';
import { isScriptedModel, runDetail, runListItem, openEscalationViews } from './run-views.ts';
import { FIXTURE_PLAN_RUN, FIXTURE_RUN, seedScriptedRuns } from './scripted-run-fixture.ts';
import { taskDetail } from './task-view.ts';

let store: RunStore;
beforeEach(async () => {
  store = openRunStore({ path: ':memory:' });
  await seedScriptedRuns(store);
});

async function liveRun(model: string): Promise<string> {
  const writer = await store.createRun({ runId: 'live', ticket: 't', workflow: 'feature', baseCommit: 'abc', maxWorkers: 1 });
  await writer.proposePlan({ plan: makePlan([{ id: 'a', needs_approval: true }, { id: 'b', depends_on: ['a'] }]), source: 'proposed', by: 'anthropic:claude' });
  await writer.approvePlan({ version: 1 });
  await writer.append({ type: 'task_event', taskId: 'b', attempt: 1, kind: 'model_call', model, usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.5 });
  await writer.release();
  return 'live';
}

describe('scripted label', () => {
  it('recognises scripted model labels only', async () => {
    expect(isScriptedModel('scripted:demo-worker')).toBe(true);
    expect(isScriptedModel('scripted')).toBe(true);
    expect(isScriptedModel('anthropic:claude-sonnet')).toBe(false);
    expect(isScriptedModel('openai:unscripted')).toBe(false);
  });

  it('marks runs whose workers or planner were scripted, and not a run with live models', async () => {
    expect(runListItem(await store.events(FIXTURE_RUN)).scripted).toBe(true);
    // Only the planner has spoken in the plan run, and it was scripted.
    expect(runDetail(await store.events(FIXTURE_PLAN_RUN))).toMatchObject({ scripted: true, models: ['scripted:demo-planner'] });
    const live = await liveRun('anthropic:claude');
    expect(runDetail(await store.events(live))).toMatchObject({ scripted: false, models: ['anthropic:claude'] });
    expect(taskDetail(await store.events(live), 'b')?.scripted).toBe(false);
    expect(taskDetail(await store.events(FIXTURE_RUN), 'docs')?.scripted).toBe(true);
  });
});

describe('runDetail', () => {
  it('reports budget use as fractions of the budgets', async () => {
    const run = runDetail(await store.events(FIXTURE_RUN));
    expect(run.budget.usage.totalTokens).toBe(6900);
    expect(run.budget.tokensFraction).toBeCloseTo(6900 / 200_000);
    expect(run.budget.usdFraction).toBeCloseTo(0.0069 / 2);
    expect(run.budget.events).toHaveLength(1);
  });

  it('lists tasks in plan order with the graph and open escalations', async () => {
    const run = runDetail(await store.events(FIXTURE_RUN));
    expect(run.tasks.map((t) => [t.id, t.status])).toEqual([
      ['analyse', 'done'],
      ['greet-shout', 'awaiting_review'],
      ['cli-flag', 'awaiting_review'],
      ['docs', 'pending'],
    ]);
    expect(run.graph.nodes).toHaveLength(4);
    expect(run.escalations.map((e) => [e.id, e.target])).toEqual([
      ['esc-greet-shout-1', 'greet-shout'],
      ['esc-cli-flag-1', 'cli-flag'],
    ]);
  });

  it('lists needs_approval tasks that wait for a human until they are answered', async () => {
    const live = await liveRun('anthropic:claude');
    expect(runDetail(await store.events(live)).approvals).toEqual([{ taskId: 'a', title: 'a' }]);
    await store.recordHumanDecision(live, { decision: 'approve', taskId: 'a' });
    expect(runDetail(await store.events(live)).approvals).toEqual([]);
  });
});

describe('openEscalationViews', () => {
  it('drops answered escalations', async () => {
    await store.recordHumanDecision(FIXTURE_RUN, { decision: 'approve', escalationId: 'esc-greet-shout-1', taskId: 'greet-shout' });
    expect(openEscalationViews(await store.events(FIXTURE_RUN)).map((e) => e.id)).toEqual(['esc-cli-flag-1']);
  });
});

describe('taskDetail', () => {
  it('collects conversation, tool calls, files, diff, tests and reviews of one task', async () => {
    const task = taskDetail(await store.events(FIXTURE_RUN), 'greet-shout')!;
    expect(task.task).toMatchObject({ id: 'greet-shout', writeScope: ['src/greet.ts'], readScope: ['src/**'], tests: ['unit'], dependsOn: ['analyse'] });
    expect(task.conversation.map((c) => c.kind)).toEqual(['model_call', 'message']);
    expect(task.conversation[0]).toMatchObject({ model: 'scripted:demo-worker', inputTokens: 2400, outputTokens: 700 });
    expect(task.toolCalls.map((c) => [c.name, c.isError])).toEqual([
      ['read_file', false],
      ['apply_diff', false],
      ['write_file', true],
    ]);
    expect(task.filesRead).toEqual([{ path: 'src/greet.ts', attempt: 1 }]);
    expect(task.filesWritten).toEqual([{ path: 'src/greet.ts', attempt: 1 }]);
    expect(task.diff).toMatchObject({ attempt: 1, commit: '9f2c1aa', changedFiles: ['src/greet.ts'] });
    expect(task.diff?.files[0]?.hunks[0]?.rows.length).toBeGreaterThan(3);
    expect(task.tests).toMatchObject([{ suite: 'unit', passed: true, summary: '12 passed' }]);
    expect(task.reviews).toMatchObject([{ decision: 'escalate' }]);
    expect(task.openEscalation).toEqual({ id: 'esc-greet-shout-1', reason: expect.any(String), target: 'greet-shout' });
  });

  it('is undefined for a task the run does not have', async () => {
    expect(taskDetail(await store.events(FIXTURE_RUN), 'nope')).toBeUndefined();
  });
});
