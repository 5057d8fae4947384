import { describe, expect, it } from 'vitest';
import { makePlan } from './make-task.ts';
import { mergeReplan } from './replan.ts';

const current = makePlan([
  { id: 'done1', write_scope: ['a/**'] },
  { id: 'running', write_scope: ['b/**'] },
  { id: 'broken', depends_on: ['done1'], write_scope: ['c/**'] },
  { id: 'later', depends_on: ['broken'], write_scope: ['d/**'] },
]);
const statuses = { done1: { status: 'done' as const }, running: { status: 'in_progress' as const }, broken: { status: 'failed' as const } };

describe('mergeReplan', () => {
  it('changes only failed and pending tasks, keeps the rest, adds new ones', () => {
    const proposed = makePlan([
      { id: 'broken', depends_on: ['done1'], write_scope: ['c/**'], brief: 'try again, smaller' },
      { id: 'helper', write_scope: ['e/**'] },
    ]);
    const result = mergeReplan({ current, statuses, proposed });
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.plan.tasks.map((t) => [t.id, t.status])).toEqual([
      ['done1', 'done'],
      ['running', 'in_progress'],
      ['broken', 'pending'],
      ['helper', 'pending'],
    ]);
    expect(result.plan.tasks.find((t) => t.id === 'broken')?.brief).toBe('try again, smaller');
    expect(result.changes).toEqual({ added: ['helper'], changed: ['broken'], removed: ['later'], kept: ['done1', 'running'] });
  });

  it('refuses changes to finished or running tasks', () => {
    const proposed = makePlan([{ id: 'done1', write_scope: ['a/**'], brief: 'redo it' }, { id: 'broken', depends_on: ['done1'] }]);
    const result = mergeReplan({ current, statuses, proposed });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([expect.objectContaining({ path: 'tasks[0]', code: 'locked_task_changed', message: expect.stringContaining('"done1" is done') })]);
  });

  it('validates the merged plan (dangling dependencies on dropped tasks)', () => {
    const proposed = makePlan([{ id: 'extra', depends_on: ['later'] }]);
    const result = mergeReplan({ current, statuses, proposed });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'unknown_dependency', message: expect.stringContaining('"later"') })]);
  });
});
