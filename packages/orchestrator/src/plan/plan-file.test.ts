import { describe, expect, it } from 'vitest';
import { makePlan } from './make-task.ts';
import { formatPlanFileProblems, parsePlanFile, parseProblemPath, renderPlanFile } from './plan-file.ts';

const plan = makePlan([
  { id: 'find', type: 'analysis', title: 'Find the export code', brief: 'Read the report module.\nList the functions that format rows.' },
  { id: 'csv', title: 'CSV serializer', depends_on: ['find'], write_scope: ['src/report/csv.ts'], tests: ['unit'], acceptance: ['rows are quoted'] },
  { id: 'route', title: 'Endpoint', depends_on: ['csv'], write_scope: ['src/api/**'], needs_approval: true, status: 'done' },
]);

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('plan file', () => {
  it('round-trips a plan through readable YAML', () => {
    const text = renderPlanFile(plan, { runId: 'r1', version: 2, warnings: ['careful'] });
    expect(text).toMatch(/^# baton plan for run r1, version 2\./);
    expect(text).toContain('# warning: careful');
    expect(text).toContain('brief: |');
    expect(text).not.toContain('status: pending');
    expect(text).toContain('status: done');
    const parsed = parsePlanFile(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.plan).toEqual(plan);
  });

  it('points schema and graph problems at their lines', () => {
    const text = renderPlanFile(plan).replace('- find', '- ghost').replace('type: implementation', 'type: bogus');
    const parsed = parsePlanFile(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    // Schema errors come first: graph checks need a well-formed plan.
    expect(parsed.errors).toEqual([expect.objectContaining({ path: 'tasks[1].type', code: 'schema', line: lineOf(text, 'type: bogus'), column: 11 })]);
    const fixed = parsePlanFile(text.replace('type: bogus', 'type: tests'));
    expect(fixed.ok).toBe(false);
    if (fixed.ok) return;
    expect(fixed.errors).toEqual([expect.objectContaining({ path: 'tasks[1].depends_on[0]', code: 'unknown_dependency', line: lineOf(text, '- ghost') })]);
    expect(formatPlanFileProblems(fixed.errors, 'plan.yaml')).toMatch(new RegExp(`^plan\\.yaml:${lineOf(text, '- ghost')}:\\d+: tasks\\[1\\]\\.depends_on\\[0\\]: `));
  });

  it('points a missing required field at its task', () => {
    const text = renderPlanFile(plan).replace(/ {4}title: CSV serializer\n/, '');
    const parsed = parsePlanFile(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]).toMatchObject({ path: 'tasks[1].title', line: lineOf(text, '- id: csv') });
  });

  it('reports YAML syntax errors with their line', () => {
    const text = 'ticket: t\nsummary: s\nworkflow: feature\ntasks:\n  - id: a\n    title: [unclosed\n';
    const parsed = parsePlanFile(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors[0]!.code).toBe('yaml_syntax');
      expect(parsed.errors[0]!.line).toBeGreaterThanOrEqual(6);
    }
  });

  it('reports duplicate keys as syntax errors', () => {
    const parsed = parsePlanFile('ticket: t\nticket: u\nsummary: s\nworkflow: feature\ntasks: []\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]).toMatchObject({ code: 'yaml_syntax', line: 2 });
  });

  it('places overlap warnings on the task\'s write_scope line', () => {
    const overlapping = makePlan([{ id: 'a', write_scope: ['src/**'] }, { id: 'b', write_scope: ['src/x.ts'] }]);
    const text = renderPlanFile(overlapping);
    const parsed = parsePlanFile(text);
    expect(parsed.ok).toBe(true);
    expect(parsed.warnings).toEqual([expect.objectContaining({ code: 'write_scope_overlap', line: lineOf(text, '- src/**') })]);
  });

  it('parses problem paths', () => {
    expect(parseProblemPath('tasks[3].depends_on[0]')).toEqual(['tasks', 3, 'depends_on', 0]);
  });
});
