// Pilot metrics from the event log: per run and overall — wall time, tokens and cost by role,
// tasks, reworks, escalations, tests run and failing, out-of-scope attempts blocked, merge
// conflicts. Pure: events in, numbers out.
import type { StoredEvent } from '../store/run-event.ts';
import type { RunState } from '../store/run-state.ts';

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
  outOfScopeBlocked: number;
  mergeConflicts: number;
  toolCalls: number;
}

export interface Report {
  runs: RunMetrics[];
  overall: Omit<RunMetrics, 'run' | 'ticket' | 'workflow' | 'outcome' | 'createdAt'> & { runs: number; succeeded: number };
}

export function runMetrics(state: RunState, events: readonly StoredEvent[]): RunMetrics {
  const roleOf = new Map((state.plan?.tasks ?? []).map((t) => [t.id, t.role]));
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
  let outOfScope = 0;
  let conflicts = 0;
  let toolCalls = 0;
  for (const e of events) {
    if (e.type === 'model_usage') charge(e.role, e.usage.inputTokens + e.usage.outputTokens, e.costUsd, e.calls);
    else if (e.type === 'task_event' && e.kind === 'model_call') {
      const role = e.name === 'review' ? 'reviewer' : (roleOf.get(e.taskId) ?? 'worker');
      charge(role, (e.usage?.inputTokens ?? 0) + (e.usage?.outputTokens ?? 0), e.costUsd ?? 0);
    } else if (e.type === 'task_event' && e.kind === 'tool_call') toolCalls++;
    else if (e.type === 'task_event' && e.kind === 'error' && e.name === 'access_denied') outOfScope++;
    else if (e.type === 'review_decided') {
      if (e.decision === 'rework') reworks++;
      if (e.reasons.includes('scope_violation')) outOfScope++;
    } else if (e.type === 'test_result') {
      testsRun++;
      if (!e.passed) testsFailed++;
    } else if (e.type === 'merge_result' && !e.ok && e.conflictFiles.length > 0) conflicts++;
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
    outOfScopeBlocked: outOfScope,
    mergeConflicts: conflicts,
    toolCalls,
  };
}

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
      mergeConflicts: sum((r) => r.mergeConflicts),
      toolCalls: sum((r) => r.toolCalls),
    },
  };
}

const CSV_COLUMNS = ['run', 'workflow', 'outcome', 'created_at', 'wall_seconds', 'tokens', 'cost_usd', 'tasks', 'tasks_done', 'tasks_failed', 'reworks', 'escalations', 'tests_run', 'tests_failed', 'out_of_scope_blocked', 'merge_conflicts', 'tool_calls', 'ticket'];

export function reportCsv(report: Report): string {
  const field = (v: string | number) => {
    const text = String(v);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = report.runs.map((r) => [r.run, r.workflow, r.outcome, r.createdAt, r.wallSeconds.toFixed(1), r.tokens, r.costUsd.toFixed(6), r.tasks.total, r.tasks.done, r.tasks.failed, r.reworks, r.escalations, r.testsRun, r.testsFailed, r.outOfScopeBlocked, r.mergeConflicts, r.toolCalls, r.ticket].map(field).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
