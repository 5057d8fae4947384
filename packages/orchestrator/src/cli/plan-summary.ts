// The plan as a person scans it before approving: one line per task with its phase, type,
// dependencies and write scope, warnings, the run's decisions, and the estimate.
import { decisionLabel, type DecisionEntry } from '../decisions/decision-log.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { estimatePlan } from '../schedule/estimate-plan.ts';
import { formatDuration, formatTokens } from './progress-table.ts';
import type { Style } from './style.ts';
import { terminalText } from './terminal-text.ts';

export function renderPlanSummary(plan: Plan, options: { maxWorkers: number; warnings: readonly string[]; style: Style; decisions?: readonly Pick<DecisionEntry, 'id' | 'text'>[] }): string {
  const { style } = options;
  // The planner wrote these: hidden characters show as markers.
  const show = (text: string) => terminalText(text, style);
  const lines = [style.bold(`Plan: ${terminalText(plan.summary, style, { multiline: true })}`), ''];
  for (const task of plan.tasks) {
    const deps = task.depends_on.length ? ` after ${task.depends_on.join(', ')}` : '';
    const writes = task.write_scope.length ? `writes ${task.write_scope.map(show).join(', ')}` : 'read-only';
    const approval = task.needs_approval ? style.yellow(' [needs approval]') : '';
    lines.push(`  ${style.bold(task.id)} ${style.dim(`p${task.phase} ${task.type}`)} ${show(task.title)}${deps}${approval}`);
    lines.push(`      ${style.dim(`${writes}${task.tests.length ? `; tests ${task.tests.map(show).join(', ')}` : ''}`)}`);
  }
  for (const warning of options.warnings) lines.push(style.yellow(`  warning: ${show(warning)}`));
  if (options.decisions && options.decisions.length > 0) {
    lines.push('', style.bold('Decisions every task will follow:'));
    for (const d of options.decisions) lines.push(`  ${style.dim(decisionLabel(d.id))} ${show(d.text)}`);
  }
  const estimate = estimatePlan(plan, { maxWorkers: options.maxWorkers });
  lines.push('', `Estimate: ${plan.tasks.length} tasks, ~${formatTokens(estimate.tokens)} tokens, ~${formatDuration(estimate.wallSeconds * 1000)} with ${options.maxWorkers} workers (critical path ${formatDuration(estimate.criticalPathSeconds * 1000)}).`);
  return lines.join('\n');
}
