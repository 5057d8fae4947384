import { describe, expect, it } from 'vitest';
import { renderTaskBrief } from '../run/task-brief.ts';
import { makeTask } from './make-task.ts';
import { PlanSchema, planJsonSchema, TaskIdSchema } from './plan-schema.ts';

describe('plan schema', () => {
  it('fills defaults so a minimal task is complete', () => {
    const task = makeTask({ id: 'a' });
    expect(task).toMatchObject({ status: 'pending', depends_on: [], phase: 1, read_scope: ['**'], write_scope: [], tests: [], acceptance: [], role: 'worker' });
  });

  it('keeps task ids usable in branch names', () => {
    for (const ok of ['a', 'csv-export', 'phase1.db_migration']) expect(TaskIdSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['', 'A', 'has space', 'a..b', 'x.lock', '-lead', 'a/b', 'x'.repeat(65)]) expect(TaskIdSchema.safeParse(bad).success).toBe(false);
  });

  it('offers the model a JSON Schema without run-time status and with the required fields', () => {
    const schema = planJsonSchema() as { properties: { tasks: { items: { properties: Record<string, unknown>; required: string[] } } }; $schema?: unknown };
    expect(schema.$schema).toBeUndefined();
    const task = schema.properties.tasks.items;
    expect(task.properties['status']).toBeUndefined();
    expect(task.required).toEqual(['id', 'title', 'type', 'brief']);
    expect(Object.keys(task.properties)).toEqual(expect.arrayContaining(['depends_on', 'write_scope', 'read_scope', 'tests', 'acceptance', 'needs_approval', 'phase', 'role']));
  });

  it('rejects plans without tasks', () => {
    expect(PlanSchema.safeParse({ ticket: 't', summary: 's', workflow: 'feature', tasks: [] }).success).toBe(false);
  });

  it('gives workers a brief straight from a plan task', () => {
    const brief = renderTaskBrief({ ticket: 'Add CSV export', task: makeTask({ id: 'csv', write_scope: ['src/csv.ts'], tests: ['unit'], acceptance: ['quoted'] }) });
    expect(brief).toContain('# Task csv: csv');
    expect(brief).toContain('You may change: src/csv.ts');
    expect(brief).toContain('- quoted');
  });
});
