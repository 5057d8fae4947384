import { describe, expect, it } from 'vitest';
import { renderMergeBrief, renderTaskBrief } from './task-brief.ts';

const task = {
  id: 'csv-serializer',
  title: 'CSV serializer',
  brief: 'Write toCsv(users) with RFC 4180 quoting.',
  acceptance: ['quotes fields containing commas'],
  read_scope: ['src/**'],
  write_scope: ['src/export/csv.ts'],
  tests: ['unit'],
};

describe('task briefs', () => {
  it('states the ticket, task, scope and tests', () => {
    const brief = renderTaskBrief({ ticket: 'Add CSV export', task });
    expect(brief).toContain('# Task csv-serializer: CSV serializer');
    expect(brief).toContain('- You may change: src/export/csv.ts');
    expect(brief).toContain('Test suites you can run with run_tests: unit');
    expect(brief).not.toContain('rework requested');
  });

  it('says a read-only task changes nothing, and carries rework feedback', () => {
    const brief = renderTaskBrief({
      ticket: 't',
      task: { ...task, write_scope: [], tests: [] },
      prior: [{ attempt: 1, feedback: 'Handle newlines inside fields.', diff: '+x' }],
    });
    expect(brief).toContain('nothing (read-only task: report findings only)');
    expect(brief).toContain('## Review of attempt 1: rework requested\nHandle newlines inside fields.');
  });

  it('gives the merge worker both diffs and the conflicting files', () => {
    const brief = renderMergeBrief({ ticket: 't', task, taskDiff: '-a\n+b', branchDiff: '-a\n+c', conflictFiles: ['src/a.ts'] });
    expect(brief).toContain('same lines in: src/a.ts');
    expect(brief).toContain('-a\n+b');
    expect(brief).toContain('-a\n+c');
  });
});
