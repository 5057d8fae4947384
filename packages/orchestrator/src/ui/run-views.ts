// The JSON the dashboard pages show, derived from a run's events (through the same reducer
// as the CLI and the engine), so every page reads one consistent state.
import { MAX_DECISION_CHARS, MAX_DECISIONS } from '../decisions/decision-events.ts';
import type { DecisionEntry } from '../decisions/decision-log.ts';
import type { RunBudgets, RunEventOf, StoredEvent } from '../store/run-event.ts';
import { openEscalations, reduceRunEvents, type EscalationState, type RunPhase, type RunState, type UsageTotals } from '../store/run-state.ts';
import { layoutTaskGraph, type GraphLayout } from './graph-layout.ts';

/** Model labels like `scripted:demo-worker` mean no real model was called. */
export function isScriptedModel(label: string): boolean {
  return /^scripted(?:[:/-]|$)/i.test(label);
}

/** Every model label the run's events mention (workers, reviewers, planner). */
export function modelsOf(events: readonly StoredEvent[]): string[] {
  const models = new Set<string>();
  for (const event of events) {
    if ((event.type === 'task_started' || event.type === 'task_event') && event.model) models.add(event.model);
    if ((event.type === 'plan_proposed' || event.type === 'plan_edited') && isScriptedModel(event.by)) models.add(event.by);
  }
  return [...models].sort();
}

export interface ModelInfo {
  models: string[];
  /** True when any model in the run was scripted: its output is canned, not a real model's. */
  scripted: boolean;
}

function modelInfo(events: readonly StoredEvent[]): ModelInfo {
  const models = modelsOf(events);
  return { models, scripted: models.some(isScriptedModel) };
}

export interface BudgetView {
  budgets: RunBudgets;
  usage: UsageTotals;
  /** Fractions of the budget used (absent when there is no such budget). */
  tokensFraction?: number;
  usdFraction?: number;
  events: RunEventOf<'budget'>[];
}

export interface RunListItem extends ModelInfo {
  runId: string;
  ticket: string;
  workflow: string;
  phase: RunPhase;
  outcome?: string;
  createdAt: string;
  lastEventAt: string;
  tasks: { total: number; done: number; failed: number; running: number };
  openEscalations: number;
  usage: { totalTokens: number; costUsd: number };
}

export interface TaskCard {
  id: string;
  title: string;
  type: string;
  phase: number;
  status: string;
  dependsOn: string[];
  attempts: number;
  totalTokens: number;
  costUsd: number;
  needsApproval: boolean;
  approval?: string;
  /** Worker nodes that took the task's attempts (runs on worker nodes), the latest last. */
  nodes: string[];
}

export interface EscalationView extends EscalationState {
  runId: string;
  ticket: string;
  scripted: boolean;
  /** The id the decide endpoint takes: the task id, or the escalation id when there is no task. */
  target: string;
}

export interface RunDetail extends ModelInfo {
  runId: string;
  ticket: string;
  workflow: string;
  phase: RunPhase;
  outcome?: string;
  baseBranch?: string;
  baseCommit: string;
  createdAt: string;
  finishedAt?: string;
  planVersion: number;
  approvedVersion?: number;
  summary?: string;
  budget: BudgetView;
  tasks: TaskCard[];
  graph: GraphLayout;
  escalations: EscalationView[];
  /** Tasks marked needs_approval that wait for a human before they start. */
  approvals: { taskId: string; title: string }[];
  gates: { phase: number; passed: boolean; at: string }[];
  decisions: DecisionLogView;
  lastSeq: number;
}

/** The run's decisions log with its limits, for the run page (entries are model- and person-written text). */
export interface DecisionLogView {
  entries: DecisionEntry[];
  refused: DecisionEntry[];
  maxEntries: number;
  maxChars: number;
}

function lastEventAt(events: readonly StoredEvent[]): string {
  return events[events.length - 1]?.at ?? '';
}

function taskCards(state: RunState): TaskCard[] {
  const planned = new Map((state.plan?.tasks ?? []).map((t) => [t.id, t]));
  return state.taskOrder.map((id) => {
    const task = state.tasks[id]!;
    const plan = planned.get(id);
    return {
      id,
      title: plan?.title ?? id,
      type: plan?.type ?? 'implementation',
      phase: plan?.phase ?? 1,
      status: task.status,
      dependsOn: plan?.depends_on ?? [],
      attempts: task.attempts,
      totalTokens: task.usage.totalTokens,
      costUsd: task.usage.costUsd,
      needsApproval: plan?.needs_approval === true,
      ...(task.approval !== undefined ? { approval: task.approval } : {}),
      nodes: task.nodes ?? [],
    };
  });
}

function escalationViews(state: RunState, scripted: boolean): EscalationView[] {
  return state.escalations.map((e) => ({ ...e, runId: state.runId, ticket: state.ticket, scripted, target: e.taskId ?? e.id }));
}

export function runListItem(events: readonly StoredEvent[]): RunListItem {
  const state = reduceRunEvents(events);
  const statuses = Object.values(state.tasks).map((t) => t.status);
  return {
    runId: state.runId,
    ticket: state.ticket,
    workflow: state.workflow,
    phase: state.phase,
    ...(state.outcome !== undefined ? { outcome: state.outcome } : {}),
    createdAt: state.createdAt,
    lastEventAt: lastEventAt(events),
    tasks: {
      total: statuses.length,
      done: statuses.filter((s) => s === 'done').length,
      failed: statuses.filter((s) => s === 'failed').length,
      running: statuses.filter((s) => s === 'in_progress' || s === 'awaiting_review').length,
    },
    openEscalations: openEscalations(state).length,
    usage: { totalTokens: state.usage.totalTokens, costUsd: state.usage.costUsd },
    ...modelInfo(events),
  };
}

export function runDetail(events: readonly StoredEvent[]): RunDetail {
  const state = reduceRunEvents(events);
  const info = modelInfo(events);
  const tasks = taskCards(state);
  const { budgets, usage } = state;
  return {
    runId: state.runId,
    ticket: state.ticket,
    workflow: state.workflow,
    phase: state.phase,
    ...(state.outcome !== undefined ? { outcome: state.outcome } : {}),
    ...(state.baseBranch !== undefined ? { baseBranch: state.baseBranch } : {}),
    baseCommit: state.baseCommit,
    createdAt: state.createdAt,
    ...(state.finishedAt !== undefined ? { finishedAt: state.finishedAt } : {}),
    planVersion: state.planVersion,
    ...(state.approvedVersion !== undefined ? { approvedVersion: state.approvedVersion } : {}),
    ...(state.plan ? { summary: state.plan.summary } : {}),
    budget: {
      budgets,
      usage,
      ...(budgets.tokens ? { tokensFraction: usage.totalTokens / budgets.tokens } : {}),
      ...(budgets.usd ? { usdFraction: usage.costUsd / budgets.usd } : {}),
      events: state.budgetEvents,
    },
    tasks,
    graph: layoutTaskGraph(tasks.map((t) => ({ id: t.id, phase: t.phase, dependsOn: t.dependsOn }))),
    escalations: escalationViews(state, info.scripted),
    approvals: tasks.filter((t) => t.needsApproval && t.approval === undefined && t.status === 'pending').map((t) => ({ taskId: t.id, title: t.title })),
    gates: Object.entries(state.gates).map(([phase, g]) => ({ phase: Number(phase), ...g })),
    decisions: { entries: state.decisions.entries, refused: state.decisions.refused, maxEntries: MAX_DECISIONS, maxChars: MAX_DECISION_CHARS },
    lastSeq: state.lastSeq,
    ...info,
  };
}

/** Open escalations of one run (newest last), for the escalation queue. */
export function openEscalationViews(events: readonly StoredEvent[]): EscalationView[] {
  const state = reduceRunEvents(events);
  return escalationViews(state, modelInfo(events).scripted).filter((e) => e.resolution === undefined);
}
