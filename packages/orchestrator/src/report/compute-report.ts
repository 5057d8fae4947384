// Pilot metrics from the event log: per run and overall — wall time, tokens and cost by role,
// tasks, reworks, escalations, tests run and failing, out-of-scope attempts blocked, merge
// conflicts. Pure: events in, numbers out.
import type { StoredEvent } from '../store/run-event.ts';
import type { RunState } from '../store/run-state.ts';
import { pilotMetrics, sumPilot, type PilotMetrics, type PilotTotals } from './pilot-metrics.ts';

export interface RoleUsage {
  tokens: number;
  costUsd: number;
  modelCalls: number;
}

export interface RunMetrics {
  run: string;
  ticket: string;
  workflow: string;
  outcome: string;
  createdAt: string;
  wallSeconds: number;
  tokens: number;
  costUsd: number;
  byRole: Record<string, RoleUsage>;
  tasks: { total: number; done: number; failed: number; skipped: number };
  reworks: number;
  escalations: number;
  testsRun: number;
  testsFailed: number;
  /** Out-of-scope attempts blocked: accessDenied + scopeViolations. */
  outOfScopeBlocked: number;
  /** File accesses outside a task's grant that the tool server refused. */
  accessDenied: number;
  /** Reviews that sent a diff back because it changed files outside the task's write scope. */
  scopeViolations: number;
  /** Integrations that hit a conflict, whether or not the merge worker then reconciled them. */
  mergeConflicts: number;
  /** Of mergeConflicts, those the merge worker reconciled. */
  mergeConflictsResolved: number;
  toolCalls: number;
  toolErrors: number;
  /** The pilot's comparison with people: estimate, review on GitHub, regressions found later. */
  pilot: PilotMetrics;
  /** Runs on worker nodes: each node and the tasks whose latest attempt it ran (empty for a run on one machine). */
  nodes: Record<string, string[]>;
}

export interface Report {
  runs: RunMetrics[];
  overall: Omit<RunMetrics, 'run' | 'ticket' | 'workflow' | 'outcome' | 'createdAt' | 'pilot'> & { runs: number; succeeded: number; pilot: PilotTotals };
}

/**
 * One run's metrics. Usage is charged to the role of the task it was spent on (the plan's
 * `role`), to `reviewer` for review calls, to run-level roles (`planner`, `merge`) as recorded,
 * and to `merge` for the merge worker: it reports under the task it reconciles, after that
 * task's accepting review and before the task's next attempt.
 */
export function runMetrics(state: RunState, events: readonly StoredEvent[]): RunMetrics {
  const roleOf = new Map((state.plan?.tasks ?? []).map((t) => [t.id, t.role]));
  const accepted = new Set<string>();
  const byRole: Record<string, RoleUsage> = {};
  const charge = (role: string, tokens: number, costUsd: number, calls = 1) => {
    const r = (byRole[role] ??= { tokens: 0, costUsd: 0, modelCalls: 0 });
    r.tokens += tokens;
    r.costUsd += costUsd;
    r.modelCalls += calls;
  };
  let reworks = 0;
  let testsRun = 0;
  let testsFailed = 0;
  let accessDenied = 0;
  let scopeViolations = 0;
  let conflicts = 0;
  let conflictsResolved = 0;
  let toolCalls = 0;
  let toolErrors = 0;
  for (const e of events) {
    switch (e.type) {
      case 'model_usage':
        charge(e.role, e.usage.inputTokens + e.usage.outputTokens, e.costUsd, e.calls);
        break;
      case 'task_started':
        accepted.delete(e.taskId);
        break;
      case 'task_event':
        if (e.kind === 'model_call') {
          const role = e.name === 'review' ? 'reviewer' : accepted.has(e.taskId) ? 'merge' : (roleOf.get(e.taskId) ?? 'worker');
          charge(role, (e.usage?.inputTokens ?? 0) + (e.usage?.outputTokens ?? 0), e.costUsd ?? 0);
        } else if (e.kind === 'tool_call') {
          toolCalls++;
          if (e.isError) toolErrors++;
        } else if (e.kind === 'error' && e.name === 'access_denied') accessDenied++;
        break;
      case 'review_decided':
        if (e.decision === 'rework') reworks++;
        if (e.decision === 'accept') accepted.add(e.taskId);
        if (e.reasons.includes('scope_violation')) scopeViolations++;
        break;
      case 'test_result':
        testsRun++;
        if (!e.passed) testsFailed++;
        break;
      case 'merge_result':
        if (!e.ok && e.conflictFiles.length > 0) conflicts++;
        if (e.ok && e.resolvedBy === 'merge_worker') {
          conflicts++;
          conflictsResolved++;
        }
        break;
      default:
        break;
    }
  }
  const statuses = state.taskOrder.map((id) => state.tasks[id]!.status);
  const end = state.finishedAt ?? events.at(-1)?.at ?? state.createdAt;
  return {
    run: state.runId,
    ticket: state.ticket.split('\n')[0]!,
    workflow: state.workflow,
    outcome: state.outcome ?? state.phase,
    createdAt: state.createdAt,
    wallSeconds: Math.max(0, (Date.parse(end) - Date.parse(state.createdAt)) / 1000),
    tokens: state.usage.totalTokens,
    costUsd: state.usage.costUsd,
    byRole,
    tasks: { total: statuses.length, done: statuses.filter((s) => s === 'done').length, failed: statuses.filter((s) => s === 'failed').length, skipped: statuses.filter((s) => s === 'skipped').length },
    reworks,
    escalations: state.escalations.length,
    testsRun,
    testsFailed,
    outOfScopeBlocked: accessDenied + scopeViolations,
    accessDenied,
    scopeViolations,
    mergeConflicts: conflicts,
    mergeConflictsResolved: conflictsResolved,
    toolCalls,
    toolErrors,
    pilot: pilotMetrics(events, Math.max(0, (Date.parse(end) - Date.parse(state.createdAt)) / 1000)),
    nodes: nodesOf(state),
  };
}

/** Runs (already filtered and ordered by the caller) and their totals. */
export function computeReport(runs: readonly RunMetrics[]): Report {
  const byRole: Record<string, RoleUsage> = {};
  for (const r of runs) {
    for (const [role, u] of Object.entries(r.byRole)) {
      const t = (byRole[role] ??= { tokens: 0, costUsd: 0, modelCalls: 0 });
      t.tokens += u.tokens;
      t.costUsd += u.costUsd;
      t.modelCalls += u.modelCalls;
    }
  }
  const sum = (f: (r: RunMetrics) => number) => runs.reduce((n, r) => n + f(r), 0);
  return {
    runs: [...runs],
    overall: {
      runs: runs.length,
      succeeded: runs.filter((r) => r.outcome === 'succeeded').length,
      wallSeconds: sum((r) => r.wallSeconds),
      tokens: sum((r) => r.tokens),
      costUsd: sum((r) => r.costUsd),
      byRole,
      tasks: { total: sum((r) => r.tasks.total), done: sum((r) => r.tasks.done), failed: sum((r) => r.tasks.failed), skipped: sum((r) => r.tasks.skipped) },
      reworks: sum((r) => r.reworks),
      escalations: sum((r) => r.escalations),
      testsRun: sum((r) => r.testsRun),
      testsFailed: sum((r) => r.testsFailed),
      outOfScopeBlocked: sum((r) => r.outOfScopeBlocked),
      accessDenied: sum((r) => r.accessDenied),
      scopeViolations: sum((r) => r.scopeViolations),
      mergeConflicts: sum((r) => r.mergeConflicts),
      mergeConflictsResolved: sum((r) => r.mergeConflictsResolved),
      toolCalls: sum((r) => r.toolCalls),
      toolErrors: sum((r) => r.toolErrors),
      pilot: sumPilot(runs.map((r) => ({ ...r.pilot, wallSeconds: r.wallSeconds }))),
      nodes: mergeNodes(runs),
    },
  };
}

/** Over the pilot: each worker node and the tasks (run/task) whose latest attempt it ran. */
function mergeNodes(runs: readonly RunMetrics[]): Record<string, string[]> {
  const nodes: Record<string, string[]> = {};
  for (const r of runs) for (const [node, tasks] of Object.entries(r.nodes)) (nodes[node] ??= []).push(...tasks.map((t) => `${r.run}/${t}`));
  return nodes;
}

function nodesOf(state: RunState): Record<string, string[]> {
  const nodes: Record<string, string[]> = {};
  for (const id of state.taskOrder) {
    const node = state.tasks[id]?.node;
    if (node !== undefined) (nodes[node] ??= []).push(id);
  }
  return nodes;
}
