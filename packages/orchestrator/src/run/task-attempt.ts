// One attempt at one task: the attempt is done (here, or on a worker node) from the run branch
// tip — a fresh workspace, a worker with only the task's grant, a commit of what it changed and
// the task's tests on it — then the review gate judges it: scope (checked again on the committed
// diff), the tests, the model's review. A read-only task's findings go through the model's review
// the same way. Returns what the gate decided; the engine integrates accepted work and records
// the task's next status.
import type { RunBudgetResource } from '@baton/worker-host';
import type { DecisionEntry } from '../decisions/decision-log.ts';
import type { Task } from '../plan/plan-schema.ts';
import { checkDiffScope } from '../review/scope-check.ts';
import type { RunState } from '../store/run-state.ts';
import type { AttemptWork } from './attempt-work.ts';
import type { EnginePorts, EmitEvent, ReviewVerdict } from './engine-ports.ts';
import { localAttempts } from './local-attempts.ts';
import { renderTaskBrief, type DependencyFindings, type PriorAttempt } from './task-brief.ts';

/** Characters of a read-only task's findings that are kept and reviewed. */
export const MAX_FINDINGS_CHARS = 40_000;

/** What a human may answer when the reviewer escalates a diff, or findings. */
export const DIFF_ESCALATION_OPTIONS = ['approve', 'retry', 'reject', 'take_over'];
export const FINDINGS_ESCALATION_OPTIONS = ['approve', 'retry', 'reject', 'skip'];

export type AttemptOutcome =
  /** Accepted by the gate; the commit still has to be integrated. */
  | { kind: 'accepted'; commit: string }
  /** A read-only task's findings were accepted by the review: the task is done. */
  | { kind: 'findings_accepted' }
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
  /** The run's decisions log as it is at the moment of asking (people change it while the run is live). */
  decisions: () => Promise<readonly DecisionEntry[]>;
}

export async function runTaskAttempt(input: AttemptInput): Promise<AttemptOutcome> {
  const { ports, task, attempt, emit, signal, runId } = input;
  const fromCommit = await ports.integration.tip(runId);
  const brief = renderTaskBrief({ ticket: input.state.ticket, task, prior: priorAttempts(input.state, task.id), decisions: await input.decisions(), findings: dependencyFindings(input.state, task) });
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
      return decide(input, { decision: 'rework', reasons: ['worker_failed'], feedback: `The previous attempt failed: ${work.error}`, by: 'baton' });
    case 'read_only_changed':
      return { kind: 'escalate', reason: `read-only task ${task.id} changed files: ${work.files.join(', ')}`, options: ['reject', 'skip'] };
    case 'reported':
      return await reviewFindings(input, work.summary);
    case 'no_changes':
      return decide(input, { decision: 'rework', reasons: ['no_changes'], feedback: 'The previous attempt changed no files. Make the change the brief asks for with apply_diff.', by: 'baton' });
    case 'committed':
      break;
  }
  const changed = work.changed.map(({ from, ...file }) => (from !== undefined ? { ...file, from } : file));
  const violations = checkDiffScope({ changed, writeScope: task.write_scope, protectedPaths: input.protectedPaths });
  if (violations.length > 0) {
    const listed = violations.map((v) => `${v.path} (${v.reason.replaceAll('_', ' ')})`).join(', ');
    return decide(input, { decision: 'rework', reasons: ['scope_violation'], feedback: `The diff changed files outside this task's scope: ${listed}. Change only files matching ${task.write_scope.join(', ')}.`, by: 'baton' });
  }
  const results = work.tests ?? [];
  const failing = results.filter((r) => !r.passed);
  if (failing.length > 0) {
    const feedback = `These tests fail with your change:\n${failing.map((r) => `- ${r.suite}: ${r.summary}`).join('\n')}\nFix the code (not the tests, unless the brief says so) and run them with run_tests before finishing.`;
    return decide(input, { decision: 'rework', reasons: ['tests_failed'], feedback, by: 'baton' });
  }
  const reviewed = { kind: 'diff' as const, diff: work.diff, testSummaries: results.map((r) => `${r.suite}: ${r.summary}`) };
  const verdict = await ports.reviewer.review({ runId, task, attempt, ticket: input.state.ticket, work: reviewed, earlier: earlierVerdicts(input), decisions: await input.decisions(), emit, signal });
  const outcome = decide(input, { ...verdict, by: 'reviewer' });
  return outcome.kind === 'accepted' ? { kind: 'accepted', commit: work.commit } : outcome;
}

function runResource(which: string): RunBudgetResource {
  return which === 'cost' || which === 'wall_time' ? which : 'tokens';
}

/**
 * The review of a read-only task: its findings (what the worker answered) against the brief and
 * the "done when" points, by the same reviewer as diffs, with the same outcomes. Only findings
 * the review (or a human) accepted reach the tasks that depend on this one.
 */
async function reviewFindings(input: AttemptInput, summary: string): Promise<AttemptOutcome> {
  const { task, attempt, emit } = input;
  const findings = summary.length > MAX_FINDINGS_CHARS ? `${summary.slice(0, MAX_FINDINGS_CHARS)}\n… [${summary.length - MAX_FINDINGS_CHARS} more characters not kept]` : summary;
  emit({ type: 'findings_reported', taskId: task.id, attempt, findings });
  emit({ type: 'task_status', taskId: task.id, status: 'awaiting_review' });
  const verdict = await input.ports.reviewer.review({
    runId: input.runId,
    task,
    attempt,
    ticket: input.state.ticket,
    work: { kind: 'findings', findings },
    earlier: earlierVerdicts(input),
    decisions: await input.decisions(),
    emit,
    signal: input.signal,
  });
  const outcome = decide(input, { ...verdict, by: 'reviewer' });
  return outcome.kind === 'accepted' ? { kind: 'findings_accepted' } : outcome;
}

/** Records the gate's verdict (the reviewer's, or baton's own checks') and says what it means for the attempt. */
function decide(input: AttemptInput, verdict: ReviewVerdict & { by: 'reviewer' | 'baton' }): AttemptOutcome {
  const { task, attempt } = input;
  const { by } = verdict;
  const decisions = verdict.decision === 'accept' && verdict.decisions && verdict.decisions.length > 0 ? { decisions: verdict.decisions } : {};
  input.emit({ type: 'review_decided', taskId: task.id, attempt, decision: verdict.decision, reasons: verdict.reasons, by, ...(verdict.feedback !== undefined ? { feedback: verdict.feedback } : {}), ...decisions });
  if (verdict.decision === 'accept') return { kind: 'accepted', commit: '' };
  if (verdict.decision === 'rework') return { kind: 'rework', feedback: verdict.feedback ?? verdict.reasons.join('; '), reasons: verdict.reasons };
  const options = task.write_scope.length === 0 ? FINDINGS_ESCALATION_OPTIONS : DIFF_ESCALATION_OPTIONS;
  return { kind: 'escalate', reason: `the reviewer escalated: ${verdict.feedback ?? verdict.reasons.join('; ')}`, options };
}

function earlierVerdicts(input: AttemptInput) {
  return input.state.tasks[input.task.id]?.reviewerVerdicts ?? [];
}

function priorAttempts(state: RunState, taskId: string): PriorAttempt[] {
  const task = state.tasks[taskId];
  const review = task?.lastReview;
  if (!review || review.decision !== 'rework') return [];
  const findings = task.findings?.attempt === review.attempt ? { findings: task.findings.text } : {};
  return [{ attempt: review.attempt, feedback: review.feedback ?? review.reasons.join('; '), ...findings }];
}

/** The accepted findings of the tasks this one depends on (never findings still under review or sent back). */
function dependencyFindings(state: RunState, task: Task): DependencyFindings[] {
  return task.depends_on.flatMap((id) => {
    const accepted = state.tasks[id]?.acceptedFindings;
    if (!accepted) return [];
    const title = state.plan?.tasks.find((t) => t.id === id)?.title ?? id;
    return [{ taskId: id, title, text: accepted.text }];
  });
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
