// The pilot report as CSV (RFC 4180: CRLF line ends, fields with commas, quotes or line
// breaks quoted, quotes doubled): one row per run, then an `overall` row, with tokens and
// cost per role as columns so a spreadsheet can chart them.
import type { Report, RoleUsage, RunMetrics } from './compute-report.ts';

const FIXED_COLUMNS = [
  'run', 'workflow', 'outcome', 'created_at', 'wall_seconds', 'tokens', 'cost_usd', 'tasks', 'tasks_done', 'tasks_failed', 'tasks_skipped',
  'reworks', 'escalations', 'tests_run', 'tests_failed', 'out_of_scope_blocked', 'access_denied', 'scope_violations',
  'merge_conflicts', 'merge_conflicts_resolved', 'tool_calls', 'tool_errors',
  'human_estimate_seconds', 'time_vs_estimate', 'pr_number', 'pr_state', 'review_comments', 'review_rounds',
  'regressions', 'regressions_tests', 'regressions_reverts', 'regressions_fixups',
] as const;

/** One CSV field, quoted only when it has to be. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Empty fields where nothing was recorded, so a spreadsheet tells "none" from "not measured". */
function pilotFields(r: RunMetrics): (string | number)[] {
  const p = r.pilot;
  const blank = (v: number | null, digits?: number) => (v === null ? '' : digits === undefined ? v : v.toFixed(digits));
  return [
    blank(p.humanEstimateSeconds), blank(p.timeVsEstimate, 4), p.pullRequest?.number ?? '', p.pullRequest?.state ?? '', blank(p.reviewComments), blank(p.reviewRounds),
    p.regressions.total, blank(p.regressions.tests), p.regressions.reverts, p.regressions.fixups,
  ];
}

export function reportCsv(report: Report): string {
  const roles = Object.keys(report.overall.byRole).sort();
  const header = [...FIXED_COLUMNS, ...roles.flatMap((role) => [`tokens_${role}`, `cost_usd_${role}`]), 'ticket'];
  const line = (r: RunMetrics): string => {
    const role = (name: string): RoleUsage => r.byRole[name] ?? { tokens: 0, costUsd: 0, modelCalls: 0 };
    const fields = [
      r.run, r.workflow, r.outcome, r.createdAt, r.wallSeconds.toFixed(1), r.tokens, r.costUsd.toFixed(6),
      r.tasks.total, r.tasks.done, r.tasks.failed, r.tasks.skipped, r.reworks, r.escalations, r.testsRun, r.testsFailed,
      r.outOfScopeBlocked, r.accessDenied, r.scopeViolations, r.mergeConflicts, r.mergeConflictsResolved, r.toolCalls, r.toolErrors,
      ...pilotFields(r),
      ...roles.flatMap((name) => [role(name).tokens, role(name).costUsd.toFixed(6)]),
      r.ticket,
    ];
    return fields.map(csvField).join(',');
  };
  const rows = [header.map(csvField).join(','), ...report.runs.map(line)];
  return `${rows.join('\r\n')}\r\n`;
}
