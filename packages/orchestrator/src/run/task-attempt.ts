// One attempt at one task: a fresh workspace from the run branch tip, a worker with only the
// task's grant, a commit of what it changed, then the review gate — scope (checked again on
// the committed diff), the task's tests, the model's review. Returns what the gate decided;
// the engine integrates accepted work and records the task's next status.
import type { RunBudgetResource } from '@baton/worker-host';
import type { Task } from '../plan/plan-schema.ts';
import { checkDiffScope } from '../review/scope-check.ts';
import type { RunState } from '../store/run-state.ts';
import type { EnginePorts, EmitEvent, ReviewVerdict } from './engine-ports.ts';
import { renderTaskBrief, type PriorAttempt } from './task-brief.ts';
import { pausePoint } from './test-pause.ts';

export type AttemptOutcome =
  /** Accepted by the gate; the commit still has to be integrated. */
  | { kind: 'accepted'; commit: string }
  /** Read-only task finished: its summary is the result. */
  | { kind: 'reported'; summary: string }
  | { kind: 'rework'; feedback: string; reasons: string[] }
  | { kind: 'escalate'; reason: string; options: string[] }
  /** The run's budget is spent: the task goes back to waiting, through no fault of its own. */
  | { kind: 'budget_stopped'; resource: RunBudgetResource; reason: string }
  | { kind: 'cancelled' };

export interface AttemptInput {
  runId: string;
  state: RunState;
  task: Task;
  attempt: number;
  protectedPaths: readonly string[];
  modelLabel: string;
  ports: EnginePorts;
  emit: EmitEvent;
  signal: AbortSignal;
}

export async function runTaskAttempt(input: AttemptInput): Promise<AttemptOutcome> {
  const { ports, task, attempt, emit, signal, runId } = input;
  const fromCommit = await ports.integration.tip(runId);
  const workspace = await ports.workspaces.create({ runId, task, attempt, fromCommit });
  pausePoint('task.workspace');
  emit({ type: 'task_started', taskId: task.id, attempt, branch: workspace.branch, workspace: workspace.dir, model: input.modelLabel });
  try {
    const brief = renderTaskBrief({ ticket: input.state.ticket, task, prior: priorAttempts(input.state, task.id) });
    const worked = await ports.worker.run({ runId, task, attempt, brief, workspace, emit, signal });
    if (worked.kind === 'cancelled' || signal.aborted) return { kind: 'cancelled' };
    if (worked.kind === 'budget_exhausted' && worked.scope === 'run') return { kind: 'budget_stopped', resource: runResource(worked.which), reason: `stopped: the run's ${worked.which.replace('_', ' ')} budget is spent` };
    if (worked.kind === 'budget_exhausted') {
      return { kind: 'escalate', reason: `the worker ran out of its ${worked.which} budget before finishing`, options: ['retry', 'skip', 'take_over'] };
    }
    if (worked.kind === 'failed') return decide(emit, task, attempt, { decision: 'rework', reasons: ['worker_failed'], feedback: `The previous attempt failed: ${worked.error}` });
    emit({ type: 'task_event', taskId: task.id, attempt, kind: 'message', detail: worked.summary });

    const committed = await ports.workspaces.commit({ workspace, message: commitMessage(input) });
    pausePoint('task.committed');
    if (task.write_scope.length === 0) {
      if (committed) return { kind: 'escalate', reason: `read-only task ${task.id} changed files: ${committed.changed.map((c) => c.path).join(', ')}`, options: ['reject', 'skip'] };
      return { kind: 'reported', summary: worked.summary };
    }
    if (!committed) {
      return decide(emit, task, attempt, { decision: 'rework', reasons: ['no_changes'], feedback: 'The previous attempt changed no files. Make the change the brief asks for with apply_diff.' });
    }
    emit({ type: 'diff_recorded', taskId: task.id, attempt, commit: committed.commit, files: committed.changed.map((c) => c.path), diff: committed.diff });
    emit({ type: 'task_status', taskId: task.id, status: 'awaiting_review' });

    const violations = checkDiffScope({ changed: committed.changed, writeScope: task.write_scope, protectedPaths: input.protectedPaths });
    if (violations.length > 0) {
      const listed = violations.map((v) => `${v.path} (${v.reason.replaceAll('_', ' ')})`).join(', ');
      return decide(emit, task, attempt, { decision: 'rework', reasons: ['scope_violation'], feedback: `The diff changed files outside this task's scope: ${listed}. Change only files matching ${task.write_scope.join(', ')}.` });
    }

    const results = await ports.tests.run({ dir: workspace.dir, suites: task.tests, signal });
    for (const r of results) emit({ type: 'test_result', taskId: task.id, attempt, suite: r.suite, passed: r.passed, context: 'task', summary: r.summary, durationMs: r.durationMs });
    const failing = results.filter((r) => !r.passed);
    if (failing.length > 0) {
      const feedback = `These tests fail with your change:\n${failing.map((r) => `- ${r.suite}: ${r.summary}`).join('\n')}\nFix the code (not the tests, unless the brief says so) and run them with run_tests before finishing.`;
      return decide(emit, task, attempt, { decision: 'rework', reasons: ['tests_failed'], feedback });
    }

    const verdict = await ports.reviewer.review({ runId, task, attempt, ticket: input.state.ticket, diff: committed.diff, testSummaries: results.map((r) => `${r.suite}: ${r.summary}`), emit, signal });
    const outcome = decide(emit, task, attempt, verdict);
    return outcome.kind === 'accepted' ? { kind: 'accepted', commit: committed.commit } : outcome;
  } finally {
    await ports.workspaces.remove(workspace).catch(() => undefined);
  }
}

function runResource(which: string): RunBudgetResource {
  return which === 'cost' || which === 'wall_time' ? which : 'tokens';
}

function decide(emit: EmitEvent, task: Task, attempt: number, verdict: ReviewVerdict): AttemptOutcome {
  emit({ type: 'review_decided', taskId: task.id, attempt, decision: verdict.decision, reasons: verdict.reasons, ...(verdict.feedback !== undefined ? { feedback: verdict.feedback } : {}) });
  if (verdict.decision === 'accept') return { kind: 'accepted', commit: '' };
  if (verdict.decision === 'rework') return { kind: 'rework', feedback: verdict.feedback ?? verdict.reasons.join('; '), reasons: verdict.reasons };
  return { kind: 'escalate', reason: `the reviewer escalated: ${verdict.feedback ?? verdict.reasons.join('; ')}`, options: ['approve', 'retry', 'reject', 'take_over'] };
}

function priorAttempts(state: RunState, taskId: string): PriorAttempt[] {
  const review = state.tasks[taskId]?.lastReview;
  if (!review || review.decision !== 'rework') return [];
  return [{ attempt: review.attempt, feedback: review.feedback ?? review.reasons.join('; ') }];
}

function commitMessage(input: AttemptInput): string {
  const { task } = input;
  const ticket = input.state.ticket.split('\n')[0]!.slice(0, 200);
  return [
    `${task.title} [${task.id}]`,
    '',
    `Ticket: ${ticket}`,
    '',
    `Baton-Run: ${input.runId}`,
    `Baton-Task: ${task.id}`,
    `Baton-Attempt: ${input.attempt}`,
    `Baton-Model: ${input.modelLabel}`,
  ].join('\n');
}
