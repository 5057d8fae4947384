// Plain views of a run's derived state for the CLI: task rows for the progress table, the
// one-line summary, and the JSON shape `--json` prints.
import type { RunState } from '../store/run-state.ts';
import { formatTokens, formatUsd, type ProgressRow } from './progress-table.ts';
import type { Style } from './style.ts';
import { terminalText } from './terminal-text.ts';

export function taskRows(state: RunState, now: number = Date.now()): ProgressRow[] {
  return state.taskOrder.map((id) => {
    const task = state.tasks[id]!;
    const started = task.startedAt ? Date.parse(task.startedAt) : undefined;
    const ended = task.finishedAt ? Date.parse(task.finishedAt) : now;
    const role = state.plan?.tasks.find((t) => t.id === id)?.role ?? '';
    return {
      id,
      status: task.status,
      worker: `${task.attempts > 0 ? `${role} #${task.attempts}` : role}${task.node !== undefined ? ` @ ${task.node}` : ''}`,
      elapsedMs: started === undefined ? 0 : Math.max(0, ended - started),
      tokens: task.usage.totalTokens,
      costUsd: task.usage.costUsd,
    };
  });
}

export function runHeadline(state: RunState, style: Style): string {
  const total = state.taskOrder.length;
  const done = state.taskOrder.filter((id) => state.tasks[id]!.status === 'done').length;
  const phase = state.phase === 'finished' ? (state.outcome ?? 'finished') : state.phase.replaceAll('_', ' ');
  return `${state.runId}  ${phase}  ${done}/${total} tasks  ${formatTokens(state.usage.totalTokens)} tokens  ${formatUsd(state.usage.costUsd)}  ${terminalText([...state.ticket.split('\n')[0]!].slice(0, 80).join(''), style)}`;
}

export function runJson(state: RunState): Record<string, unknown> {
  return {
    run: state.runId,
    ticket: state.ticket,
    workflow: state.workflow,
    phase: state.phase,
    outcome: state.outcome ?? null,
    branch: `baton/${state.runId}`,
    baseCommit: state.baseCommit,
    planVersion: state.planVersion,
    approvedVersion: state.approvedVersion ?? null,
    usage: state.usage,
    budgets: state.budgets,
    distributed: state.distributed ?? null,
    tasks: state.taskOrder.map((id) => {
      const t = state.tasks[id]!;
      const findings = t.findings ? { attempt: t.findings.attempt, text: t.findings.text, accepted: t.acceptedFindings?.attempt === t.findings.attempt } : null;
      return { id, status: t.status, attempts: t.attempts, tokens: t.usage.totalTokens, costUsd: t.usage.costUsd, commit: t.commit ?? null, mergedCommit: t.mergedCommit ?? null, reason: t.reason ?? null, findings, node: t.node ?? null, nodes: t.nodes ?? [] };
    }),
    escalations: state.escalations,
    decisions: state.decisions.entries,
  };
}
