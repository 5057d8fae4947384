// Run state derived from the event log by a pure reducer: what the scheduler, the CLI,
// the dashboard and resume all read. Nothing here is stored; replaying the events rebuilds it.
import type { Plan, TaskStatus } from '../plan/plan-schema.ts';
import { REPLANNABLE } from '../plan/replan.ts';
import type { WorkflowName } from '../workflows/workflow.ts';
import { applyDecisionEvent, emptyDecisionLog, type DecisionLog } from '../decisions/decision-log.ts';
import type { RunBudgets, RunEvent, RunEventOf, Usage } from './run-event.ts';

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** inputTokens + outputTokens (cache tokens are part of input as providers bill them). */
  totalTokens: number;
  costUsd: number;
  modelCalls: number;
  toolCalls: number;
}

export interface TaskState {
  id: string;
  status: TaskStatus;
  /** Number of the latest attempt started (0 = never started). */
  attempts: number;
  usage: UsageTotals;
  /** Latest recorded diff: the task branch commit and files. */
  commit?: string;
  files: string[];
  /** Run branch commit after the task was integrated. */
  mergedCommit?: string;
  /**
   * The review accepted this commit and it has not been integrated yet (set at the acceptance,
   * cleared by the merge result or a new attempt): a resumed run integrates it without redoing the task.
   */
  accepted?: { commit: string; seq: number };
  lastReview?: ReviewRecord & { by?: 'reviewer' | 'baton' | 'human'; decisions?: string[] };
  /** The reviewing model's own verdicts on this task, oldest first: its next review sees them. */
  reviewerVerdicts: ReviewRecord[];
  /** A read-only task's findings of its latest reporting attempt. */
  findings?: { attempt: number; text: string };
  /** Findings accepted by the review or a human: the only findings passed on to dependent tasks. */
  acceptedFindings?: { attempt: number; text: string };
  tests: { suite: string; passed: boolean; attempt?: number }[];
  /** A human approved this needs_approval task (or rejected it). */
  approval?: 'approve' | 'reject';
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The worker node that ran the latest attempt (runs on worker nodes), and every node that took one of its attempts. */
  node?: string;
  nodes?: string[];
}

export interface ReviewRecord {
  attempt: number;
  decision: 'accept' | 'rework' | 'escalate';
  reasons: string[];
  feedback?: string;
}

export interface EscalationState {
  id: string;
  taskId?: string;
  reason: string;
  options: string[];
  raisedAt: string;
  resolution?: { decision: RunEventOf<'human_decision'>['decision']; note?: string; by: string; at: string };
}

export type RunPhase = 'created' | 'planning' | 'awaiting_approval' | 'running' | 'finished';

export interface RunState {
  runId: string;
  ticket: string;
  workflow: WorkflowName;
  baseCommit: string;
  baseBranch?: string;
  budgets: RunBudgets;
  maxWorkers: number;
  /** Approve the plan without asking (baton run --yes). */
  autoApprove: boolean;
  /** Set when tasks run on worker nodes: the git remote their commits pass through. */
  distributed?: { remote: string };
  phase: RunPhase;
  createdAt: string;
  finishedAt?: string;
  outcome?: RunEventOf<'run_finished'>['outcome'];
  /** Latest plan version (proposed or edited), and the version a human approved. */
  planVersion: number;
  approvedVersion?: number;
  /** The plan being executed: the approved version if any, else the latest proposal. */
  plan?: Plan;
  planWarnings: string[];
  planInvalidAttempts: number;
  /** What the planner last submitted in a refused attempt (for baton plan edit when there is no plan yet). */
  lastRefusedPlan?: { submitted: unknown; problems: string[] };
  tasks: Record<string, TaskState>;
  /** Task ids in plan order. */
  taskOrder: string[];
  usage: UsageTotals;
  escalations: EscalationState[];
  /** Phase gate results by phase number (latest result wins). */
  gates: Record<number, { passed: boolean; at: string }>;
  budgetEvents: RunEventOf<'budget'>[];
  /** Key decisions (interfaces, names, constraints) every later brief carries. */
  decisions: DecisionLog;
  resumes: number;
  lastSeq: number;
}

export interface ReducibleEvent {
  runId: string;
  seq: number;
  at: string;
}

export function emptyUsage(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 0, costUsd: 0, modelCalls: 0, toolCalls: 0 };
}

function addUsage(into: UsageTotals, usage: Usage | undefined, costUsd: number | undefined): void {
  if (usage) {
    into.inputTokens += usage.inputTokens;
    into.outputTokens += usage.outputTokens;
    into.cacheReadTokens += usage.cacheReadTokens ?? 0;
    into.cacheWriteTokens += usage.cacheWriteTokens ?? 0;
    into.totalTokens += usage.inputTokens + usage.outputTokens;
  }
  into.costUsd += costUsd ?? 0;
}

function newTask(id: string, status: TaskStatus): TaskState {
  return { id, status, attempts: 0, usage: emptyUsage(), files: [], tests: [], reviewerVerdicts: [] };
}

/** Statuses of a task that is being worked on by a live process. */
export const IN_FLIGHT_STATUSES: ReadonlySet<TaskStatus> = new Set(['in_progress', 'awaiting_review']);
/** Statuses that will not change without a human or a re-plan. */
export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['done', 'failed', 'skipped']);

/**
 * Folds a run's events (in seq order) into its state. Pure: the same events give the same
 * state; the input is not modified. Throws if the first event is not run_created.
 */
export function reduceRunEvents(events: readonly (RunEvent & ReducibleEvent)[]): RunState {
  const first = events[0];
  if (!first || first.type !== 'run_created') {
    throw new Error(`the event log of run ${first?.runId ?? '(empty)'} does not start with run_created; the store is damaged or the run id is wrong`);
  }
  const state: RunState = {
    runId: first.runId,
    ticket: first.ticket,
    workflow: first.workflow,
    baseCommit: first.baseCommit,
    ...(first.baseBranch !== undefined ? { baseBranch: first.baseBranch } : {}),
    budgets: { ...first.budgets },
    maxWorkers: first.maxWorkers,
    autoApprove: first.autoApprove,
    ...(first.distributed ? { distributed: { ...first.distributed } } : {}),
    phase: 'planning',
    createdAt: first.at,
    planVersion: 0,
    planWarnings: [],
    planInvalidAttempts: 0,
    tasks: {},
    taskOrder: [],
    usage: emptyUsage(),
    escalations: [],
    gates: {},
    budgetEvents: [],
    decisions: emptyDecisionLog(),
    resumes: 0,
    lastSeq: first.seq,
  };
  const plans = new Map<number, Plan>();
  for (let i = 1; i < events.length; i++) applyEvent(state, events[i]!, plans);
  return state;
}

function noteNode(task: TaskState, node: string): void {
  task.node = node;
  if (!task.nodes?.includes(node)) task.nodes = [...(task.nodes ?? []), node];
}

function taskOf(state: RunState, id: string): TaskState {
  let task = state.tasks[id];
  if (!task) {
    // Events for a task the plan does not (or no longer) list still count (usage, files).
    task = newTask(id, 'pending');
    state.tasks[id] = task;
    state.taskOrder.push(id);
  }
  return task;
}

function adoptPlan(state: RunState, plan: Plan): void {
  const previous = state.tasks;
  state.plan = plan;
  state.tasks = {};
  state.taskOrder = [];
  for (const t of plan.tasks) {
    // Re-plans keep what already happened to a task; the plan's status seeds new tasks and
    // restarts failed or blocked ones the new plan put back to pending.
    const before = previous[t.id];
    if (before && REPLANNABLE.has(before.status)) before.status = t.status;
    state.tasks[t.id] = before ?? newTask(t.id, t.status);
    state.taskOrder.push(t.id);
  }
  for (const [id, task] of Object.entries(previous)) {
    if (!state.tasks[id] && task.attempts > 0) {
      state.tasks[id] = task;
      state.taskOrder.push(id);
    }
  }
}

function applyEvent(state: RunState, event: RunEvent & ReducibleEvent, plans: Map<number, Plan>): void {
  state.lastSeq = event.seq;
  switch (event.type) {
    case 'run_created':
      break;
    case 'plan_proposed':
    case 'plan_edited':
      plans.set(event.version, event.plan);
      state.planVersion = Math.max(state.planVersion, event.version);
      state.planWarnings = event.warnings;
      if (state.phase === 'finished' && state.approvedVersion === undefined) {
        // A plan written after planning failed reopens the run: it now waits for approval.
        delete state.finishedAt;
        delete state.outcome;
        state.phase = 'awaiting_approval';
      }
      if (state.phase === 'planning' || state.phase === 'awaiting_approval') state.phase = 'awaiting_approval';
      if (state.approvedVersion === undefined) adoptPlan(state, event.plan);
      break;
    case 'plan_invalid':
      state.planInvalidAttempts += 1;
      if (event.submitted !== undefined) state.lastRefusedPlan = { submitted: event.submitted, problems: event.problems };
      break;
    case 'plan_approved': {
      const plan = plans.get(event.version);
      state.approvedVersion = event.version;
      if (plan) adoptPlan(state, plan);
      if (state.phase !== 'finished') state.phase = 'running';
      break;
    }
    case 'task_started': {
      const task = taskOf(state, event.taskId);
      delete task.accepted;
      task.status = 'in_progress';
      task.attempts = Math.max(task.attempts, event.attempt);
      task.startedAt ??= event.at;
      delete task.finishedAt;
      if (event.node !== undefined) noteNode(task, event.node);
      break;
    }
    case 'task_dispatched': {
      // Queued for a worker node: in flight from here, so a resumed orchestrator starts a new attempt.
      const task = taskOf(state, event.taskId);
      delete task.accepted;
      task.status = 'in_progress';
      task.attempts = Math.max(task.attempts, event.attempt);
      delete task.finishedAt;
      break;
    }
    case 'task_claimed':
      noteNode(taskOf(state, event.taskId), event.node);
      break;
    case 'attempt_finished':
      break;
    case 'task_event': {
      const task = taskOf(state, event.taskId);
      addUsage(task.usage, event.usage, event.costUsd);
      addUsage(state.usage, event.usage, event.costUsd);
      if (event.kind === 'model_call') {
        task.usage.modelCalls += 1;
        state.usage.modelCalls += 1;
      } else if (event.kind === 'tool_call') {
        task.usage.toolCalls += 1;
        state.usage.toolCalls += 1;
      }
      break;
    }
    case 'file_read':
      break;
    case 'file_written': {
      const task = taskOf(state, event.taskId);
      if (!task.files.includes(event.path)) task.files.push(event.path);
      break;
    }
    case 'diff_recorded': {
      const task = taskOf(state, event.taskId);
      task.commit = event.commit;
      task.files = [...event.files];
      break;
    }
    case 'test_result':
      if (event.taskId) taskOf(state, event.taskId).tests.push({ suite: event.suite, passed: event.passed, ...(event.attempt !== undefined ? { attempt: event.attempt } : {}) });
      break;
    case 'findings_reported':
      taskOf(state, event.taskId).findings = { attempt: event.attempt, text: event.findings };
      break;
    case 'review_decided': {
      const task = taskOf(state, event.taskId);
      if (event.decision === 'accept' && task.commit !== undefined && event.attempt === task.attempts) task.accepted = { commit: task.commit, seq: event.seq };
      const review: ReviewRecord = {
        attempt: event.attempt,
        decision: event.decision,
        reasons: event.reasons,
        ...(event.feedback !== undefined ? { feedback: event.feedback } : {}),
      };
      task.lastReview = { ...review, ...(event.by !== undefined ? { by: event.by } : {}), ...(event.decisions !== undefined ? { decisions: event.decisions } : {}) };
      if (event.by === 'reviewer') task.reviewerVerdicts.push(review);
      break;
    }
    case 'task_status': {
      const task = taskOf(state, event.taskId);
      task.status = event.status;
      if (event.status !== 'pending' && event.status !== 'awaiting_review') delete task.accepted;
      if (event.reason !== undefined) task.reason = event.reason;
      if (TERMINAL_STATUSES.has(event.status)) task.finishedAt = event.at;
      // A read-only task is done once its latest findings are accepted (by the review or a human).
      if (event.status === 'done' && task.findings !== undefined && task.findings.attempt === task.attempts) task.acceptedFindings = { ...task.findings };
      break;
    }
    case 'merge_result': {
      const task = taskOf(state, event.taskId);
      delete task.accepted;
      if (event.ok && event.commit) task.mergedCommit = event.commit;
      break;
    }
    case 'gate_result':
      state.gates[event.phase] = { passed: event.passed, at: event.at };
      break;
    case 'escalation_raised':
      state.escalations.push({
        id: event.escalationId,
        ...(event.taskId !== undefined ? { taskId: event.taskId } : {}),
        reason: event.reason,
        options: event.options,
        raisedAt: event.at,
      });
      break;
    case 'human_decision': {
      const resolution = { decision: event.decision, by: event.by, at: event.at, ...(event.note !== undefined ? { note: event.note } : {}) };
      const escalation = event.escalationId ? state.escalations.find((e) => e.id === event.escalationId) : undefined;
      if (escalation) escalation.resolution = resolution;
      if (event.taskId && (event.decision === 'approve' || event.decision === 'reject')) taskOf(state, event.taskId).approval = event.decision;
      break;
    }
    case 'model_usage':
      addUsage(state.usage, event.usage, event.costUsd);
      state.usage.modelCalls += event.calls;
      break;
    case 'budget':
      state.budgetEvents.push(event);
      break;
    case 'run_resumed':
      state.resumes += 1;
      for (const task of Object.values(state.tasks)) {
        // Work that a dead process had in flight starts again from a fresh workspace.
        if (IN_FLIGHT_STATUSES.has(task.status)) task.status = 'pending';
      }
      if (state.phase === 'finished') state.phase = state.approvedVersion !== undefined ? 'running' : state.planVersion > 0 ? 'awaiting_approval' : 'planning';
      delete state.finishedAt;
      delete state.outcome;
      break;
    case 'run_finished':
      state.phase = 'finished';
      state.finishedAt = event.at;
      state.outcome = event.outcome;
      break;
    case 'decision_logged':
    case 'decision_edited':
    case 'decision_removed':
      applyDecisionEvent(state.decisions, event);
      break;
  }
}

/** Escalations that still wait for a human. */
export function openEscalations(state: RunState): EscalationState[] {
  return state.escalations.filter((e) => e.resolution === undefined);
}
