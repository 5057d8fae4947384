// The brief a worker receives: the ticket, its one task, the exact scope, how to prove it
// works, the run's decisions so far, the accepted findings of the tasks it depends on, and (on
// rework) what the reviewer asked for. Short and concrete on purpose.
import { decisionLines } from '../decisions/render-decisions.ts';
import type { DecisionEntry } from '../decisions/decision-log.ts';

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
  /** A read-only task's findings of that attempt, which the review did not accept. */
  findings?: string;
}

/** Accepted findings of a task this one depends on. */
export interface DependencyFindings {
  taskId: string;
  title: string;
  text: string;
}

/** Characters of one dependency's findings a brief carries (findings are kept whole in the log). */
export const MAX_FINDINGS_IN_BRIEF = 8_000;

export interface TaskBriefInput {
  ticket: string;
  task: BriefTask;
  prior?: readonly PriorAttempt[];
  /** The run's decisions log as it is when the attempt starts. */
  decisions?: readonly Pick<DecisionEntry, 'id' | 'text'>[];
  findings?: readonly DependencyFindings[];
}

export function renderTaskBrief(input: TaskBriefInput): string {
  const { task } = input;
  const readOnly = task.write_scope.length === 0;
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
    `- You may change: ${readOnly ? 'nothing (read-only task: report findings only)' : task.write_scope.join(', ')}`,
    '- The tools enforce this scope; a refused path means the change belongs to another task. Do not work around it.',
  );
  if (task.tests.length > 0) lines.push(`- Test suites you can run with run_tests: ${task.tests.join(', ')}`);
  if (input.decisions && input.decisions.length > 0) {
    lines.push(
      '',
      '## Decisions so far',
      'Decided earlier in this run (by the planner, the reviewer or a person). Follow them; if one stops you from doing the task, say so in your summary instead of working around it.',
      ...decisionLines(input.decisions),
    );
  }
  if (input.findings && input.findings.length > 0) {
    lines.push('', '## Findings of the tasks this one builds on (accepted by review)');
    for (const f of input.findings) lines.push('', `### ${f.taskId}: ${f.title}`, clip(f.text.trim(), MAX_FINDINGS_IN_BRIEF));
  }
  for (const prior of input.prior ?? []) {
    lines.push('', `## Review of attempt ${prior.attempt}: rework requested`, prior.feedback.trim());
    if (prior.diff) lines.push('', 'That attempt\'s diff (discarded; your workspace starts fresh):', '```diff', prior.diff.trim(), '```');
    if (prior.findings) lines.push('', 'That attempt\'s findings (not accepted):', clip(prior.findings.trim(), MAX_FINDINGS_IN_BRIEF));
  }
  lines.push(
    '',
    readOnly
      ? 'Finish with your findings: answer the brief and each "done when" point, with evidence a reader can check (file paths, quoted lines). A reviewer checks them before later tasks build on them.'
      : 'Finish with a short summary of what you changed and why, and anything the reviewer should know.',
  );
  return lines.join('\n');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… [${text.length - max} more characters not shown]` : text;
}

export function renderMergeBrief(input: {
  ticket: string;
  task: BriefTask;
  taskDiff: string;
  branchDiff: string;
  conflictFiles: readonly string[];
  decisions?: readonly Pick<DecisionEntry, 'id' | 'text'>[];
}): string {
  const decisions = input.decisions && input.decisions.length > 0 ? ['', '## Decisions so far (keep to them)', ...decisionLines(input.decisions)] : [];
  return [
    `# Merge task ${input.task.id}: ${input.task.title}`,
    '',
    `Ticket: ${input.ticket.trim()}`,
    '',
    `Task ${input.task.id} was written against an older version of the code. Since then, other accepted tasks changed`,
    `the same lines in: ${input.conflictFiles.join(', ')}. Your workspace holds the run branch as it is now.`,
    'Re-apply the INTENT of the task diff below onto the current code, keeping every change already on the branch.',
    'Change only the files listed as conflicting. Run the tests, then summarise how you reconciled the two.',
    ...decisions,
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
