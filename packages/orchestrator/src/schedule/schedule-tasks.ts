// The scheduler: a pure function from the run's state to the tasks to start now. Rules:
// dependencies done; never two tasks with overlapping write scopes at once; phase N+1 only
// after phase N finished and (with phase gates) its gate passed; needs_approval tasks wait
// for a human; nothing starts once a budget is exhausted; longest remaining chain first.
import type { Plan, Task, TaskStatus } from '../plan/plan-schema.ts';
import { scopesOverlap, type ScopeOverlap } from '../plan/scope-overlap.ts';
import { workflowFor } from '../workflows/workflow.ts';
import type { BudgetStatus } from './budget.ts';
import { criticalPathPriorities } from './critical-path.ts';

/** What the scheduler reads of the run state (RunState satisfies it). */
export interface SchedulerView {
  tasks: Readonly<Record<string, { status: TaskStatus; approval?: 'approve' | 'reject' }>>;
  gates: Readonly<Record<number, { passed: boolean }>>;
}

export interface ScheduleInput {
  plan: Plan;
  state: SchedulerView;
  maxWorkers: number;
  /** Tasks the caller has running right now (in addition to in-flight statuses in the state). */
  running?: ReadonlySet<string>;
  /** Defaults to the plan's workflow setting. */
  phaseGates?: boolean;
  budget?: BudgetStatus;
  /** Higher starts first; defaults to critical-path length with unit durations. */
  priorities?: ReadonlyMap<string, number>;
}

export type WaitReason =
  | { kind: 'dependencies'; waitingOn: string[] }
  | { kind: 'dependency_failed'; failed: string[] }
  | { kind: 'earlier_phase'; phase: number; waitingFor: 'tasks' | 'gate' | 'gate_failed' }
  | { kind: 'write_scope_busy'; with: string; overlap: ScopeOverlap }
  | { kind: 'awaiting_approval' }
  | { kind: 'rejected' }
  | { kind: 'blocked' }
  | { kind: 'no_free_worker' }
  | { kind: 'budget_exhausted' };

export interface ScheduleDecision {
  /** Task ids to start now, highest priority first. */
  start: string[];
  /** Every other unfinished task that is not running, and why it waits. */
  waiting: { taskId: string; reason: WaitReason }[];
  /** Phases whose tasks are all finished but whose gate has no result yet: run their tests now. */
  gatesDue: number[];
  /** Ready tasks that only wait for a human's approval. */
  approvalsNeeded: string[];
  /** Tasks running or in flight (counted against maxWorkers). */
  active: string[];
  /** Every task is done or skipped. */
  complete: boolean;
  /** Nothing is running and nothing can start: the run is finished or stuck (see waiting, gatesDue). */
  idle: boolean;
}

const SATISFIED: ReadonlySet<TaskStatus> = new Set(['done', 'skipped']);
const ACTIVE: ReadonlySet<TaskStatus> = new Set(['in_progress', 'awaiting_review']);
const STARTABLE: ReadonlySet<TaskStatus> = new Set(['pending', 'rework']);

interface PlanIndex {
  byId: Map<string, Task>;
  phases: number[];
  defaultPriorities: Map<string, number> | undefined;
  overlaps: Map<string, ScopeOverlap | null>;
}

const indexes = new WeakMap<Plan, PlanIndex>();

function indexOf(plan: Plan): PlanIndex {
  let index = indexes.get(plan);
  if (!index) {
    index = {
      byId: new Map(plan.tasks.map((t) => [t.id, t])),
      phases: [...new Set(plan.tasks.map((t) => t.phase))].sort((a, b) => a - b),
      defaultPriorities: undefined,
      overlaps: new Map(),
    };
    indexes.set(plan, index);
  }
  return index;
}

function overlapBetween(index: PlanIndex, a: Task, b: Task): ScopeOverlap | undefined {
  const key = a.id < b.id ? `${a.id}\0${b.id}` : `${b.id}\0${a.id}`;
  let known = index.overlaps.get(key);
  if (known === undefined) {
    known = scopesOverlap(a.write_scope, b.write_scope) ?? null;
    index.overlaps.set(key, known);
  }
  return known ?? undefined;
}

export function scheduleTasks(input: ScheduleInput): ScheduleDecision {
  const { plan, state } = input;
  const index = indexOf(plan);
  const statusOf = (id: string): TaskStatus => state.tasks[id]?.status ?? 'pending';
  const phaseGates = input.phaseGates ?? workflowFor(plan.workflow).phaseGates;
  let priorities = input.priorities;
  if (!priorities) priorities = index.defaultPriorities ??= criticalPathPriorities(plan);

  const active = new Set<string>(input.running ?? []);
  for (const task of plan.tasks) if (ACTIVE.has(statusOf(task.id))) active.add(task.id);

  // Phase gating: the first phase with unfinished work (or an unpassed gate) bounds what may start.
  const gatesDue: number[] = [];
  let openPhase = Number.POSITIVE_INFINITY;
  let closedBy: { phase: number; waitingFor: 'tasks' | 'gate' | 'gate_failed' } | undefined;
  for (const phase of index.phases) {
    const unfinished = plan.tasks.some((t) => t.phase === phase && !SATISFIED.has(statusOf(t.id)));
    if (unfinished) {
      openPhase = phase;
      closedBy = { phase, waitingFor: 'tasks' };
      break;
    }
    if (phaseGates) {
      const gate = state.gates[phase];
      if (!gate) gatesDue.push(phase);
      if (!gate?.passed) {
        openPhase = phase;
        closedBy = { phase, waitingFor: gate ? 'gate_failed' : 'gate' };
        break;
      }
    }
  }

  const start: string[] = [];
  const waiting: ScheduleDecision['waiting'] = [];
  const approvalsNeeded: string[] = [];
  const exhausted = (input.budget?.exhausted.length ?? 0) > 0;
  const candidates: Task[] = [];

  for (const task of plan.tasks) {
    const status = statusOf(task.id);
    if (active.has(task.id) || SATISFIED.has(status) || status === 'failed') continue;
    if (status === 'blocked') {
      waiting.push({ taskId: task.id, reason: { kind: 'blocked' } });
      continue;
    }
    if (!STARTABLE.has(status)) continue;
    const failed = task.depends_on.filter((d) => {
      const s = statusOf(d);
      return s === 'failed' || s === 'blocked';
    });
    if (failed.length > 0) {
      waiting.push({ taskId: task.id, reason: { kind: 'dependency_failed', failed } });
      continue;
    }
    const waitingOn = task.depends_on.filter((d) => !SATISFIED.has(statusOf(d)));
    if (waitingOn.length > 0) {
      waiting.push({ taskId: task.id, reason: { kind: 'dependencies', waitingOn } });
      continue;
    }
    if (task.phase > openPhase && closedBy) {
      waiting.push({ taskId: task.id, reason: { kind: 'earlier_phase', ...closedBy } });
      continue;
    }
    const approval = state.tasks[task.id]?.approval;
    if (task.needs_approval && approval !== 'approve') {
      if (approval === 'reject') waiting.push({ taskId: task.id, reason: { kind: 'rejected' } });
      else {
        waiting.push({ taskId: task.id, reason: { kind: 'awaiting_approval' } });
        approvalsNeeded.push(task.id);
      }
      continue;
    }
    candidates.push(task);
  }

  candidates.sort((a, b) => (priorities.get(b.id) ?? 0) - (priorities.get(a.id) ?? 0));
  const busy = [...active].map((id) => index.byId.get(id)).filter((t): t is Task => t !== undefined);
  let free = Math.max(0, input.maxWorkers - active.size);
  for (const task of candidates) {
    if (exhausted) {
      waiting.push({ taskId: task.id, reason: { kind: 'budget_exhausted' } });
      continue;
    }
    let clash: WaitReason | undefined;
    if (task.write_scope.length > 0) {
      for (const other of busy) {
        const overlap = overlapBetween(index, task, other);
        if (overlap) {
          clash = { kind: 'write_scope_busy', with: other.id, overlap };
          break;
        }
      }
    }
    if (clash) waiting.push({ taskId: task.id, reason: clash });
    else if (free === 0) waiting.push({ taskId: task.id, reason: { kind: 'no_free_worker' } });
    else {
      start.push(task.id);
      busy.push(task);
      free--;
    }
  }

  const complete = plan.tasks.every((t) => SATISFIED.has(statusOf(t.id)));
  return {
    start,
    waiting,
    gatesDue,
    approvalsNeeded,
    active: [...active],
    complete,
    idle: active.size === 0 && start.length === 0,
  };
}
