// The dashboard's Report page: the pilot's figures per ticket and over the pilot — baton's
// time against the human-only estimate, review comments and rounds on the pull request,
// regressions — then tokens, cost and the run's own troubles as charts. Everything reaches
// the DOM as text through dom.js (hidden characters as markers); links only from http(s) URLs.
import { append, h, singleLine, svg } from './dom.js';

/** Horizontal bars, one per label; values drawn as text (never HTML). */
function barChart(title, rows, format, testId) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = 24 * rows.length + 8;
  const chart = svg('svg', { viewBox: `0 0 640 ${height}`, width: '100%', role: 'img', 'aria-label': title });
  rows.forEach((r, i) => {
    const y = 4 + i * 24;
    // Labels are run ids and role names (the plan's): hidden characters show as markers.
    const label = svg('text', { x: 0, y: y + 14, 'font-size': 12 });
    append(label, [r.label]);
    const bar = svg('rect', { x: 180, y, width: Math.max(1, (r.value / max) * 380), height: 18, fill: r.color ?? '#3b6fd8', rx: 2 });
    const value = svg('text', { x: 190 + (r.value / max) * 380, y: y + 14, 'font-size': 12 });
    value.textContent = format(r.value);
    chart.append(label, bar, value);
  });
  return h('section', { class: 'card', 'data-testid': testId }, h('h2', {}, title), chart);
}

const usd = (n) => `$${Number(n ?? 0).toFixed(4)}`;
const ratio = (r) => (r === null || r === undefined ? '—' : `${r < 0.1 ? r.toFixed(3) : r.toFixed(2)}×`);

/** "3h", "1h 30m", "45m". */
function hours(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const minutes = Math.round(seconds / 60);
  const hh = Math.floor(minutes / 60);
  const mm = minutes % 60;
  return hh === 0 ? `${mm}m` : mm === 0 ? `${hh}h` : `${hh}h ${mm}m`;
}

function duration(seconds) {
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** A link only for http(s) URLs; anything else stays text. */
function safeLink(url, text) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return h('a', { href: parsed.href, rel: 'noopener noreferrer', target: '_blank' }, text);
  } catch {
    // not a URL: shown as text below
  }
  return text;
}

function regressionsCell(r) {
  if (r.tests === null && r.reverts + r.fixups === 0) return '—';
  const parts = [r.tests === null ? 'tests not checked' : `${r.tests} test(s)`, `${r.reverts} revert(s)`, `${r.fixups} fix-up(s)`];
  return `${r.total} (${parts.join(', ')})`;
}

function perTicketTable(report) {
  const rows = report.runs.map((r) => {
    const p = r.pilot;
    return h(
      'tr',
      { 'data-testid': `pilot-row-${r.run}` },
      h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(r.run)}` }, singleLine(r.run)), h('div', { class: 'muted' }, singleLine(r.ticket))),
      h('td', {}, r.outcome),
      h('td', { class: 'mono' }, duration(r.wallSeconds)),
      h('td', { class: 'mono' }, hours(p.humanEstimateSeconds)),
      h('td', { class: 'mono', 'data-testid': `vs-estimate-${r.run}` }, ratio(p.timeVsEstimate)),
      h('td', {}, p.pullRequest ? [safeLink(p.pullRequest.url, `#${p.pullRequest.number}`), ` ${p.pullRequest.state}`] : '—'),
      h('td', { class: 'mono' }, p.reviewComments === null ? '—' : `${p.reviewComments} in ${p.reviewRounds ?? 0} round(s)`),
      h('td', { 'data-testid': `regressions-${r.run}` }, regressionsCell(p.regressions)),
      h('td', { class: 'mono' }, usd(r.costUsd)),
    );
  });
  return h(
    'table',
    { 'data-testid': 'pilot-table' },
    h('thead', {}, h('tr', {}, ['Run', 'Outcome', 'Wall time', 'Human estimate', 'Time vs estimate', 'Pull request', 'Review comments', 'Regressions', 'Cost'].map((t) => h('th', {}, t)))),
    h('tbody', {}, rows),
  );
}

/** The Report page's content for a /api/report answer. */
export function reportView(report) {
  const o = report.overall;
  const p = o.pilot;
  const roles = Object.entries(o.byRole).map(([label, u]) => ({ label, value: u.tokens }));
  const estimated = report.runs.filter((r) => r.pilot.humanEstimateSeconds !== null);
  return [
    h('h1', {}, 'Report'),
    h('p', { class: 'muted', 'data-testid': 'report-summary' }, `${o.runs} run(s), ${o.succeeded} succeeded · ${o.tokens} tokens · ${usd(o.costUsd)} · ${o.tasks.done}/${o.tasks.total} tasks · ${o.reworks} reworks · ${o.escalations} escalations · ${o.testsRun} test runs (${o.testsFailed} failing) · ${o.outOfScopeBlocked} out-of-scope attempts blocked · ${o.mergeConflicts} merge conflicts`),
    h('h2', {}, 'Against people'),
    h(
      'div',
      { class: 'card grid2', 'data-testid': 'pilot-summary' },
      h('div', {}, h('strong', {}, 'Time vs estimate '), p.estimatedRuns ? `${ratio(p.timeVsEstimate)} — ${duration(p.wallSecondsOfEstimatedRuns)} of wall time for ${hours(p.humanEstimateSeconds)} estimated over ${p.estimatedRuns} run(s)` : 'no estimates yet (baton estimate <run> 3h)'),
      h('div', {}, h('strong', {}, 'Review '), `${p.pullRequests} pull request(s), ${p.merged} merged · ${p.reviewComments} review comment(s) in ${p.reviewRounds} round(s)`),
      h('div', {}, h('strong', {}, 'Regressions '), `${p.regressions.total}: ${p.regressions.tests} failing test(s) in ${p.regressions.checkedRuns} checked run(s), ${p.regressions.reverts} revert(s), ${p.regressions.fixups} fix-up(s)`),
      h('div', { class: 'muted' }, 'Review figures and later reverts arrive with baton sync; tests broken on the branch with baton regressions <run>.'),
    ),
    report.runs.length ? perTicketTable(report) : h('p', { class: 'muted' }, 'No runs yet.'),
    estimated.length ? barChart('Time vs human estimate (1× = as long as a person alone)', estimated.map((r) => ({ label: r.run, value: r.pilot.timeVsEstimate, color: r.pilot.timeVsEstimate > 1 ? '#c0392b' : '#16a085' })), ratio, 'chart-vs-estimate') : null,
    barChart('Tokens by role', roles, (n) => String(n), 'chart-roles'),
    barChart('Cost by run', report.runs.map((r) => ({ label: r.run, value: r.costUsd })), usd, 'chart-cost'),
    barChart(
      'Reworks, escalations, failing tests and blocked attempts (all runs)',
      [
        { label: 'reworks', value: o.reworks, color: '#c98a00' },
        { label: 'escalations', value: o.escalations, color: '#c0392b' },
        { label: 'failing test runs', value: o.testsFailed, color: '#8e44ad' },
        { label: 'out-of-scope blocked', value: o.outOfScopeBlocked, color: '#555' },
        { label: 'merge conflicts', value: o.mergeConflicts, color: '#16a085' },
        { label: 'regressions', value: p.regressions.total, color: '#7f1d1d' },
      ],
      (n) => String(n),
      'chart-troubles',
    ),
    h('p', { class: 'muted' }, 'The same figures as JSON or CSV: baton report --json / --csv.'),
  ];
}
