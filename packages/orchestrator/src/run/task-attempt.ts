// One attempt at one task: the attempt is done (here, or on a worker node) from the run branch
// tip — a fresh workspace, a worker with only the task's grant, a commit of what it changed and
// the task's tests on it — then the review gate judges it: scope (checked again on the committed
// diff), the tests, the model's review. Returns what the gate decided; the engine integrates
// accepted work and records the task's next status.
import type { RunBudgetResource } from '@baton/worker-host';
import type { Task } from '../plan/plan-schema.ts';
import { checkDiffScope } from '../review/scope-check.ts';
import type { RunState } from '../store/run-state.ts';
import type { AttemptWork } from './attempt-work.ts';
import type { EnginePorts, EmitEvent, ReviewVerdict } from './engine-ports.ts';
import { localAttempts } from './local-attempts.ts';
import { renderTaskBrief, type PriorAttempt } from './task-brief.ts';

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
  const brief = renderTaskBrief({ ticket: input.state.ticket, task, prior: priorAttempts(input.state, task.id) });
  const attempts = ports.attempts ?? localAttempts(ports);
  const work = await attempts.work({ runId, task, attempt, brief, fromCommit, protectedPaths: input.protectedPaths, modelLabel: input.modelLabel, commitMessage: commitMessage(input), emit, signal });
  return reviewAttempt(input, work);
}

/** The review gate on what an attempt produced: scope (checked again on the committed diff), the task's tests, the model's review. */
async function reviewAttempt(input: AttemptInput, work: AttemptWork): Promise<AttemptOutcome> {
  const { ports, task, attempt, emit, signal, runId } = input;
  switch (work.kind) {
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'budget_exhausted':
      if (work.scope === 'run') return { kind: 'budget_stopped', resource: runResource(work.which), reason: `stopped: the run's ${work.which.replace('_', ' ')} budget is spent` };
      return { kind: 'escalate', reason: `the worker ran out of its ${work.which} budget before finishing`, options: ['retry', 'skip', 'take_over'] };
    case 'worker_failed':
      return decide(emit, task, attempt, { decision: 'rework', reasons: ['worker_failed'], feedback: `The previous attempt failed: ${work.error}` });
    case 'read_only_changed':
      return { kind: 'escalate', reason: `read-only task ${task.id} changed files: ${work.files.join(', ')}`, options: ['reject', 'skip'] };
    case 'reported':
      return { kind: 'reported', summary: work.summary };
    case 'no_changes':
      return decide(emit, task, attempt, { decision: 'rework', reasons: ['no_changes'], feedback: 'The previous attempt changed no files. Make the change the brief asks for with apply_diff.' });
    case 'committed':
      break;
  }
  const changed = work.changed.map(({ from, ...file }) => (from !== undefined ? { ...file, from } : file));
  const violations = checkDiffScope({ changed, writeScope: task.write_scope, protectedPaths: input.protectedPaths });
  if (violations.length > 0) {
    const listed = violations.map((v) => `${v.path} (${v.reason.replaceAll('_', ' ')})`).join(', ');
    return decide(emit, task, attempt, { decision: 'rework', reasons: ['scope_violation'], feedback: `The diff changed files outside this task's scope: ${listed}. Change only files matching ${task.write_scope.join(', ')}.` });
  }
  const results = work.tests ?? [];
  const failing = results.filter((r) => !r.passed);
  if (failing.length > 0) {
    const feedback = `These tests fail with your change:\n${failing.map((r) => `- ${r.suite}: ${r.summary}`).join('\n')}\nFix the code (not the tests, unless the brief says so) and run them with run_tests before finishing.`;
    return decide(emit, task, attempt, { decision: 'rework', reasons: ['tests_failed'], feedback });
  }
  const verdict = await ports.reviewer.review({ runId, task, attempt, ticket: input.state.ticket, diff: work.diff, testSummaries: results.map((r) => `${r.suite}: ${r.summary}`), emit, signal });
  const outcome = decide(emit, task, attempt, verdict);
  return outcome.kind === 'accepted' ? { kind: 'accepted', commit: work.commit } : outcome;
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
