// The brief a worker receives: the ticket, its one task, the exact scope, how to prove
// it works, and (on rework) what the reviewer asked for. Short and concrete on purpose.

export interface BriefTask {
  id: string;
  title: string;
  brief: string;
  acceptance: readonly string[];
  read_scope: readonly string[];
  write_scope: readonly string[];
  tests: readonly string[];
}

export interface PriorAttempt {
  attempt: number;
  feedback: string;
  diff?: string;
}

export function renderTaskBrief(input: { ticket: string; task: BriefTask; prior?: readonly PriorAttempt[]; dependencyNotes?: readonly string[] }): string {
  const { task } = input;
  const lines = [
    `# Task ${task.id}: ${task.title}`,
    '',
    `Ticket: ${input.ticket.trim()}`,
    '',
    '## What to do',
    task.brief.trim(),
  ];
  if (task.acceptance.length > 0) lines.push('', '## Done when', ...task.acceptance.map((a) => `- ${a}`));
  lines.push(
    '',
    '## Scope',
    `- You may read: ${task.read_scope.join(', ') || '(nothing)'}`,
    `- You may change: ${task.write_scope.length > 0 ? task.write_scope.join(', ') : 'nothing (read-only task: report findings only)'}`,
    '- The tools enforce this scope; a refused path means the change belongs to another task. Do not work around it.',
  );
  if (task.tests.length > 0) lines.push(`- Test suites you can run with run_tests: ${task.tests.join(', ')}`);
  if (input.dependencyNotes && input.dependencyNotes.length > 0) {
    lines.push('', '## Already done by earlier tasks (in your workspace)', ...input.dependencyNotes.map((n) => `- ${n}`));
  }
  for (const prior of input.prior ?? []) {
    lines.push('', `## Review of attempt ${prior.attempt}: rework requested`, prior.feedback.trim());
    if (prior.diff) lines.push('', 'That attempt\'s diff (discarded; your workspace starts fresh):', '```diff', prior.diff.trim(), '```');
  }
  lines.push('', 'Finish with a short summary of what you changed and why, and anything the reviewer should know.');
  return lines.join('\n');
}

export function renderMergeBrief(input: {
  ticket: string;
  task: BriefTask;
  taskDiff: string;
  branchDiff: string;
  conflictFiles: readonly string[];
}): string {
  return [
    `# Merge task ${input.task.id}: ${input.task.title}`,
    '',
    `Ticket: ${input.ticket.trim()}`,
    '',
    `Task ${input.task.id} was written against an older version of the code. Since then, other accepted tasks changed`,
    `the same lines in: ${input.conflictFiles.join(', ')}. Your workspace holds the run branch as it is now.`,
    'Re-apply the INTENT of the task diff below onto the current code, keeping every change already on the branch.',
    'Change only the files listed as conflicting. Run the tests, then summarise how you reconciled the two.',
    '',
    '## The task\'s diff (against its old base)',
    '```diff',
    input.taskDiff.trim(),
    '```',
    '',
    '## What the branch changed meanwhile in those files',
    '```diff',
    input.branchDiff.trim(),
    '```',
  ].join('\n');
}
