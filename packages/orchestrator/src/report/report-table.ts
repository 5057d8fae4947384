// The pilot report as text for a terminal: one line per run, then the totals and the usage
// per role.
import { formatDuration, formatTokens, formatUsd } from '../cli/progress-table.ts';
import type { Report } from './compute-report.ts';

const COLUMNS = ['RUN', 'OUTCOME', 'WALL', 'TOKENS', 'COST', 'TASKS', 'REWORKS', 'ESC', 'TESTS(FAIL)', 'BLOCKED', 'CONFLICTS'] as const;
/** Columns 0-1 are text (left aligned); the rest are numbers (right aligned). */
const TEXT_COLUMNS = 2;

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i < TEXT_COLUMNS ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
}

export function reportTable(report: Report): string {
  if (report.runs.length === 0) return 'no runs match; start one with baton run "<ticket>"\n';
  const rows = report.runs.map((m) => [
    m.run,
    m.outcome,
    formatDuration(m.wallSeconds * 1000),
    formatTokens(m.tokens),
    formatUsd(m.costUsd),
    `${m.tasks.done}/${m.tasks.total}`,
    String(m.reworks),
    String(m.escalations),
    `${m.testsRun}(${m.testsFailed})`,
    String(m.outOfScopeBlocked),
    m.mergeConflictsResolved > 0 ? `${m.mergeConflicts} (${m.mergeConflictsResolved} resolved)` : String(m.mergeConflicts),
  ]);
  const o = report.overall;
  const lines = [
    ...table([[...COLUMNS], ...rows]),
    '',
    `overall: ${o.runs} run(s), ${o.succeeded} succeeded, ${formatDuration(o.wallSeconds * 1000)} wall time; ${formatTokens(o.tokens)} tokens, ${formatUsd(o.costUsd)}`,
    `  tasks: ${o.tasks.done} done, ${o.tasks.failed} failed, ${o.tasks.skipped} skipped of ${o.tasks.total}; ${o.reworks} reworks; ${o.escalations} escalations`,
    `  tests: ${o.testsRun} run, ${o.testsFailed} failing`,
    `  out-of-scope attempts blocked: ${o.outOfScopeBlocked} (${o.accessDenied} file accesses refused, ${o.scopeViolations} diffs sent back by review)`,
    `  merge conflicts: ${o.mergeConflicts} (${o.mergeConflictsResolved} reconciled by the merge worker)`,
    '  by role:',
    ...Object.entries(o.byRole)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([role, u]) => `    ${role.padEnd(16)} ${formatTokens(u.tokens).padStart(8)} tokens  ${formatUsd(u.costUsd).padStart(9)}  ${u.modelCalls} model call(s)`),
  ];
  return `${lines.join('\n')}\n`;
}
