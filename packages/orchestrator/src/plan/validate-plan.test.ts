import { describe, expect, it } from 'vitest';
import { makePlan } from './make-task.ts';
import { formatProblemPath, validatePlan } from './validate-plan.ts';

describe('validatePlan', () => {
  it('accepts a sound plan', () => {
    const result = validatePlan(makePlan([{ id: 'a', write_scope: ['src/a/**'] }, { id: 'b', depends_on: ['a'], write_scope: ['src/b/**'] }]));
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('reports schema problems with their paths', () => {
    const result = validatePlan({ ticket: 't', summary: 's', workflow: 'feature', tasks: [{ id: 'a', title: 'A', type: 'implementation', brief: 'x' }, { id: 'B!', title: 'B', type: 'bogus', brief: 'x' }] });
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.path).sort()).toEqual(['tasks[1].id', 'tasks[1].type']);
    expect(result.errors.every((e) => e.code === 'schema')).toBe(true);
  });

  it('names unknown dependencies and duplicate ids', () => {
    const result = validatePlan(makePlan([{ id: 'a' }, { id: 'b', depends_on: ['a', 'ghost'] }, { id: 'a' }]));
    expect(result.errors).toEqual([
      expect.objectContaining({ path: 'tasks[2].id', code: 'duplicate_id' }),
      expect.objectContaining({ path: 'tasks[1].depends_on[1]', code: 'unknown_dependency', message: expect.stringContaining('"ghost"') }),
    ]);
  });

  it('names the cycle and the edge that closes it', () => {
    const result = validatePlan(makePlan([{ id: 'a', depends_on: ['c'] }, { id: 'b', depends_on: ['a'] }, { id: 'c', depends_on: ['b'] }, { id: 'd' }]));
    const cycles = result.errors.filter((e) => e.code === 'cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.message).toContain('a -> c -> b -> a');
    expect(cycles[0]!.path).toBe('tasks[1].depends_on[0]');
  });

  it('reports a task depending on itself', () => {
    const result = validatePlan(makePlan([{ id: 'a', depends_on: ['a'] }]));
    expect(result.errors).toEqual([expect.objectContaining({ code: 'cycle', path: 'tasks[0].depends_on[0]', message: expect.stringContaining('a -> a') })]);
  });

  it('keeps scopes inside the repository', () => {
    const result = validatePlan(makePlan([{ id: 'a', read_scope: ['/etc/**', 'src/../../x'], write_scope: ['.git/config', 'src\\a.ts', '!src/**', 'src/ok/**'] }]));
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      ['tasks[0].read_scope[0]', 'scope_outside_repo'],
      ['tasks[0].read_scope[1]', 'scope_outside_repo'],
      ['tasks[0].write_scope[0]', 'scope_outside_repo'],
      ['tasks[0].write_scope[1]', 'scope_unsupported'],
      ['tasks[0].write_scope[2]', 'scope_unsupported'],
    ]);
  });

  it('flags overlapping write scopes of tasks that could run together, with the pair', () => {
    const result = validatePlan(
      makePlan([
        { id: 'api', write_scope: ['src/api/**'] },
        { id: 'routes', write_scope: ['src/api/routes.ts'] },
        { id: 'after', depends_on: ['api'], write_scope: ['src/api/**'] },
        { id: 'docs', write_scope: ['docs/**'] },
      ]),
    );
    expect(result.ok).toBe(true);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatchObject({ path: 'tasks[0].write_scope', code: 'write_scope_overlap' });
    expect(result.warnings[0]!.message).toContain('"routes"');
    expect(result.warnings[1]!.message).toMatch(/"routes".*"after"/);
  });

  it('refuses dependencies on later phases and unknown test suites', () => {
    const result = validatePlan(makePlan([{ id: 'a', phase: 1, depends_on: ['b'], tests: ['unit', 'nope'] }, { id: 'b', phase: 2 }]), { knownTests: ['unit'] });
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      ['tasks[0].depends_on[0]', 'forward_phase_dependency'],
      ['tasks[0].tests[1]', 'unknown_test'],
    ]);
  });

  it('formats paths', () => {
    expect(formatProblemPath(['tasks', 3, 'depends_on', 0])).toBe('tasks[3].depends_on[0]');
    expect(formatProblemPath([])).toBe('');
  });
});
