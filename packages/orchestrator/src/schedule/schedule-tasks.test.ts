import { describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import type { Plan, TaskStatus } from '../plan/plan-schema.ts';
import { checkBudget } from './budget.ts';
import { criticalPathLength } from './critical-path.ts';
import { estimatePlan } from './estimate-plan.ts';
import { scheduleTasks, type SchedulerView } from './schedule-tasks.ts';
import { simulateSchedule } from './simulate-schedule.ts';

function view(statuses: Record<string, TaskStatus> = {}, extra: Partial<SchedulerView> = {}): SchedulerView {
  const tasks: Record<string, { status: TaskStatus; approval?: 'approve' | 'reject' }> = {};
  for (const [id, status] of Object.entries(statuses)) tasks[id] = { status };
  return { tasks, gates: {}, ...extra };
}

function reasonOf(decision: ReturnType<typeof scheduleTasks>, id: string) {
  return decision.waiting.find((w) => w.taskId === id)?.reason;
}

describe('scheduleTasks', () => {
  it('starts tasks whose dependencies are done, up to maxWorkers', () => {
    const plan = makePlan([{ id: 'a', write_scope: ['a/**'] }, { id: 'b', write_scope: ['b/**'] }, { id: 'c', write_scope: ['c/**'] }, { id: 'd', depends_on: ['a'] }]);
    const first = scheduleTasks({ plan, state: view(), maxWorkers: 2 });
    expect(first.start).toHaveLength(2);
    expect(first.start).toContain('a'); // a has the longest chain (a -> d)
    expect(reasonOf(first, 'd')).toEqual({ kind: 'dependencies', waitingOn: ['a'] });
    expect(first.waiting.filter((w) => w.reason.kind === 'no_free_worker')).toHaveLength(1);
    const later = scheduleTasks({ plan, state: view({ a: 'done', b: 'done', c: 'in_progress' }), maxWorkers: 2 });
    expect(later.start).toEqual(['d']);
    expect(later.active).toEqual(['c']);
  });

  it('counts the caller\'s running set and in-flight statuses against the workers', () => {
    const plan = makePlan([{ id: 'a', write_scope: ['a/**'] }, { id: 'b', write_scope: ['b/**'] }, { id: 'c', write_scope: ['c/**'] }]);
    const decision = scheduleTasks({ plan, state: view({ b: 'awaiting_review' }), maxWorkers: 2, running: new Set(['a']) });
    expect(decision.start).toEqual([]);
    expect(reasonOf(decision, 'c')).toEqual({ kind: 'no_free_worker' });
  });

  it('never runs tasks with overlapping write scopes at the same time', () => {
    const plan = makePlan([{ id: 'api', write_scope: ['src/api/**'] }, { id: 'routes', write_scope: ['src/api/routes.ts'] }, { id: 'docs', write_scope: ['docs/**'] }]);
    const decision = scheduleTasks({ plan, state: view(), maxWorkers: 8 });
    expect(decision.start.sort()).toEqual(['api', 'docs']);
    expect(reasonOf(decision, 'routes')).toEqual({ kind: 'write_scope_busy', with: 'api', overlap: { a: 'src/api/routes.ts', b: 'src/api/**' } });
    const running = scheduleTasks({ plan, state: view({ api: 'in_progress', docs: 'done' }), maxWorkers: 8 });
    expect(running.start).toEqual([]);
    expect(scheduleTasks({ plan, state: view({ api: 'done', docs: 'done' }), maxWorkers: 8 }).start).toEqual(['routes']);
  });

  it('lets read-only tasks run beside anything', () => {
    const plan = makePlan([{ id: 'w', write_scope: ['**'] }, { id: 'r', type: 'analysis', write_scope: [] }]);
    expect(scheduleTasks({ plan, state: view(), maxWorkers: 4 }).start.sort()).toEqual(['r', 'w']);
  });

  it('holds phase N+1 until phase N is done and its gate passed', () => {
    const plan = makePlan([{ id: 'p1', phase: 1, write_scope: ['a/**'] }, { id: 'p2', phase: 2, write_scope: ['b/**'] }], { workflow: 'refactor' });
    const first = scheduleTasks({ plan, state: view(), maxWorkers: 4 });
    expect(first.start).toEqual(['p1']);
    expect(reasonOf(first, 'p2')).toEqual({ kind: 'earlier_phase', phase: 1, waitingFor: 'tasks' });
    const gate = scheduleTasks({ plan, state: view({ p1: 'done' }), maxWorkers: 4 });
    expect(gate.start).toEqual([]);
    expect(gate.gatesDue).toEqual([1]);
    expect(gate.idle).toBe(true);
    expect(reasonOf(gate, 'p2')).toEqual({ kind: 'earlier_phase', phase: 1, waitingFor: 'gate' });
    const failed = scheduleTasks({ plan, state: view({ p1: 'done' }, { gates: { 1: { passed: false } } }), maxWorkers: 4 });
    expect(failed.gatesDue).toEqual([]);
    expect(reasonOf(failed, 'p2')).toEqual({ kind: 'earlier_phase', phase: 1, waitingFor: 'gate_failed' });
    const passed = scheduleTasks({ plan, state: view({ p1: 'done' }, { gates: { 1: { passed: true } } }), maxWorkers: 4 });
    expect(passed.start).toEqual(['p2']);
    // Without gates, finishing the earlier phase is enough.
    expect(scheduleTasks({ plan, state: view({ p1: 'done' }), maxWorkers: 4, phaseGates: false }).start).toEqual(['p2']);
  });

  it('makes needs_approval tasks wait for a human decision', () => {
    const plan = makePlan([{ id: 'rename', needs_approval: true, write_scope: ['api/**'] }, { id: 'other', write_scope: ['x/**'] }]);
    const waiting = scheduleTasks({ plan, state: view(), maxWorkers: 4 });
    expect(waiting.start).toEqual(['other']);
    expect(waiting.approvalsNeeded).toEqual(['rename']);
    const approved = scheduleTasks({ plan, state: { tasks: { rename: { status: 'pending', approval: 'approve' } }, gates: {} }, maxWorkers: 4 });
    expect(approved.start).toContain('rename');
    const rejected = scheduleTasks({ plan, state: { tasks: { rename: { status: 'pending', approval: 'reject' } }, gates: {} }, maxWorkers: 4 });
    expect(reasonOf(rejected, 'rename')).toEqual({ kind: 'rejected' });
  });

  it('reports dependents of failed tasks and blocked tasks', () => {
    const plan = makePlan([{ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 'c', write_scope: ['c/**'] }]);
    const decision = scheduleTasks({ plan, state: view({ a: 'failed', c: 'blocked' }), maxWorkers: 4 });
    expect(decision.start).toEqual([]);
    expect(reasonOf(decision, 'b')).toEqual({ kind: 'dependency_failed', failed: ['a'] });
    expect(reasonOf(decision, 'c')).toEqual({ kind: 'blocked' });
    expect(decision.idle).toBe(true);
    expect(decision.complete).toBe(false);
  });

  it('restarts rework tasks and treats skipped dependencies as satisfied', () => {
    const plan = makePlan([{ id: 'a' }, { id: 'b', depends_on: ['a'], write_scope: ['b/**'] }]);
    expect(scheduleTasks({ plan, state: view({ a: 'skipped', b: 'rework' }), maxWorkers: 1 }).start).toEqual(['b']);
    expect(scheduleTasks({ plan, state: view({ a: 'done', b: 'done' }), maxWorkers: 1 })).toMatchObject({ complete: true, idle: true, start: [] });
  });

  it('starts nothing once a budget is exhausted', () => {
    const plan = makePlan([{ id: 'a' }]);
    const budget = checkBudget({ budgets: { tokens: 1000, usd: 5 }, usage: { totalTokens: 1000, costUsd: 4.5 }, startedAt: 0, now: 1000 });
    expect(budget.exhausted).toEqual(['tokens']);
    expect(budget.warnings).toEqual(['usd']);
    const decision = scheduleTasks({ plan, state: view(), maxWorkers: 4, budget });
    expect(decision.start).toEqual([]);
    expect(reasonOf(decision, 'a')).toEqual({ kind: 'budget_exhausted' });
    expect(checkBudget({ budgets: { wallSeconds: 10 }, usage: { totalTokens: 0, costUsd: 0 }, startedAt: 0, now: 11_000 }).exhausted).toEqual(['wall']);
  });

  it('starts the longest remaining chain first', () => {
    const plan = makePlan([
      { id: 'short', write_scope: ['s/**'] },
      { id: 'long1', write_scope: ['l1/**'] },
      { id: 'long2', depends_on: ['long1'], write_scope: ['l2/**'] },
      { id: 'long3', depends_on: ['long2'], write_scope: ['l3/**'] },
    ]);
    expect(scheduleTasks({ plan, state: view(), maxWorkers: 1 }).start).toEqual(['long1']);
  });
});

describe('simulation and estimate', () => {
  function chainAndFan(): Plan {
    return makePlan([
      { id: 'root', write_scope: ['r/**'] },
      ...Array.from({ length: 6 }, (_, i) => ({ id: `leaf${i}`, depends_on: ['root'], write_scope: [`l${i}/**`] })),
      { id: 'tail', depends_on: ['leaf0'], write_scope: ['t/**'] },
    ]);
  }

  it('meets the critical path when workers suffice', () => {
    const plan = chainAndFan();
    const run = simulateSchedule({ plan, duration: () => 10, maxWorkers: 8 });
    expect(run.makespan).toBe(criticalPathLength(plan, () => 10));
    expect(run.stuck).toEqual([]);
    expect(run.peakParallelism).toBe(6);
  });

  it('serialises overlapping writers in the simulated timeline', () => {
    const plan = makePlan([{ id: 'a', write_scope: ['src/**'] }, { id: 'b', write_scope: ['src/x.ts'] }]);
    const run = simulateSchedule({ plan, duration: () => 5, maxWorkers: 4 });
    expect(run.makespan).toBe(10);
    const a = run.timeline.get('a')!;
    const b = run.timeline.get('b')!;
    expect(a.end <= b.start || b.end <= a.start).toBe(true);
  });

  it('estimates tokens, cost and wall time', () => {
    const plan = makePlan([{ id: 'find', type: 'analysis' }, { id: 'impl', depends_on: ['find'], write_scope: ['src/**'] }, { id: 'docs', type: 'docs', depends_on: ['find'], write_scope: ['docs/**'] }]);
    const estimate = estimatePlan(plan, { maxWorkers: 2, usdPerMillionTokens: 10 });
    expect(estimate.tokens).toBe(80_000 + 160_000 + 50_000);
    expect(estimate.usd).toBe(2.9);
    expect(estimate.wallSeconds).toBe((3 + 6) * 60);
    expect(estimate.criticalPathSeconds).toBe((3 + 6) * 60);
    expect(estimate.byType.implementation).toEqual({ tasks: 1, tokens: 160_000 });
  });
});
