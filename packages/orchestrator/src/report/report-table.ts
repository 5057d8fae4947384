// The pilot report as text for a terminal: one line per run, then the totals and the usage
// per role.
import { formatDuration, formatTokens, formatUsd } from '../cli/progress-table.ts';
import type { Report } from './compute-report.ts';
import { formatHours } from './human-estimate.ts';
import type { PilotMetrics } from './pilot-metrics.ts';

const COLUMNS = ['RUN', 'OUTCOME', 'WALL', 'TOKENS', 'COST', 'TASKS', 'REWORKS', 'ESC', 'TESTS(FAIL)', 'BLOCKED', 'CONFLICTS', 'ESTIMATE', 'VS EST', 'PR', 'REVIEW', 'REGRESSIONS'] as const;

/** "0.25x": baton's wall time as a share of the human estimate. */
export function formatRatio(ratio: number | null): string {
  return ratio === null ? '-' : `${ratio < 0.1 ? ratio.toFixed(3) : ratio.toFixed(2)}x`;
}

function pilotCells(p: PilotMetrics): string[] {
  const r = p.regressions;
  return [
    p.humanEstimateSeconds === null ? '-' : formatHours(p.humanEstimateSeconds),
    formatRatio(p.timeVsEstimate),
    p.pullRequest ? `#${p.pullRequest.number} ${p.pullRequest.state}` : '-',
    p.reviewComments === null ? '-' : `${p.reviewComments}c/${p.reviewRounds ?? 0}r`,
    r.tests === null && r.reverts + r.fixups === 0 ? '-' : String(r.total),
  ];
}
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
    ...pilotCells(m.pilot),
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
    `  against people: ${o.pilot.estimatedRuns} run(s) with a human estimate: ${formatDuration(o.pilot.wallSecondsOfEstimatedRuns * 1000)} wall time for ${formatHours(o.pilot.humanEstimateSeconds)} estimated (${formatRatio(o.pilot.timeVsEstimate)})`,
    `  review: ${o.pilot.pullRequests} pull request(s), ${o.pilot.merged} merged; ${o.pilot.reviewComments} review comment(s) in ${o.pilot.reviewRounds} round(s)`,
    `  regressions: ${o.pilot.regressions.total} (${o.pilot.regressions.tests} failing test(s) in ${o.pilot.regressions.checkedRuns} checked run(s), ${o.pilot.regressions.reverts} revert(s), ${o.pilot.regressions.fixups} fix-up(s))`,
    '  by role:',
    ...Object.entries(o.byRole)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([role, u]) => `    ${role.padEnd(16)} ${formatTokens(u.tokens).padStart(8)} tokens  ${formatUsd(u.costUsd).padStart(9)}  ${u.modelCalls} model call(s)`),
  ];
  return `${lines.join('\n')}\n`;
}
