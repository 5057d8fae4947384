import { describe, expect, it } from 'vitest';
import { MAX_FINDINGS_IN_BRIEF, renderMergeBrief, renderTaskBrief } from './task-brief.ts';

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

  it("carries the run's decisions and the accepted findings of the tasks it builds on, clipped", () => {
    const brief = renderTaskBrief({
      ticket: 't',
      task,
      decisions: [{ id: 1, text: 'Columns come from COLUMNS in src/export/columns.ts' }, { id: 4, text: 'No new dependencies' }],
      findings: [{ taskId: 'scan', title: 'Find the list endpoint', text: `src/admin/users.ts lists users\n${'x'.repeat(MAX_FINDINGS_IN_BRIEF)}` }],
    });
    expect(brief).toContain('## Decisions so far\n');
    expect(brief).toContain('- D1: Columns come from COLUMNS in src/export/columns.ts\n- D4: No new dependencies');
    expect(brief).toContain('### scan: Find the list endpoint\nsrc/admin/users.ts lists users\n');
    expect(brief).toContain('more characters not shown]');
    expect(brief.length).toBeLessThan(MAX_FINDINGS_IN_BRIEF + 2_000);
    expect(renderTaskBrief({ ticket: 't', task })).not.toContain('## Decisions');
  });

  it('asks a read-only task for findings with evidence, and shows the findings a rework replaces', () => {
    const brief = renderTaskBrief({ ticket: 't', task: { ...task, write_scope: [] }, prior: [{ attempt: 1, feedback: 'Quote the line.', findings: 'Nothing to do.' }] });
    expect(brief).toContain("That attempt's findings (not accepted):\nNothing to do.");
    expect(brief).toContain('Finish with your findings');
    expect(brief).not.toContain('what you changed');
  });

  it('gives the merge worker both diffs and the conflicting files', () => {
    const brief = renderMergeBrief({ ticket: 't', task, taskDiff: '-a\n+b', branchDiff: '-a\n+c', conflictFiles: ['src/a.ts'], decisions: [{ id: 2, text: 'Keep greet() pure' }] });
    expect(brief).toContain('same lines in: src/a.ts');
    expect(brief).toContain('- D2: Keep greet() pure');
    expect(brief).toContain('-a\n+b');
    expect(brief).toContain('-a\n+c');
  });
});
