import { describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import { openRunStore } from '../store/open-store.ts';
import { computeReport, runMetrics } from './compute-report.ts';
import { recordPilotEvent } from './record-pilot-event.ts';
import { reportCsv } from './report-csv.ts';
import { reportTable } from './report-table.ts';

async function store() {
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const s = openRunStore({ path: ':memory:', now: () => new Date(clock) });
  const run = async (id: string, minutes: number) => {
    const w = await s.createRun({ runId: id, ticket: `ticket ${id}`, workflow: 'feature', baseCommit: 'a'.repeat(40), maxWorkers: 1 });
    await w.approvePlan({ version: (await w.proposePlan({ plan: makePlan([{ id: 't' }]), source: 'proposed' })).version });
    clock += minutes * 60_000;
    await w.append({ type: 'run_finished', outcome: 'succeeded' });
    await w.release();
  };
  await run('r1', 30);
  await run('r2', 90);
  await run('r3', 10);
  await recordPilotEvent(s, 'r1', { type: 'human_estimate', seconds: 4 * 3600 });
  await recordPilotEvent(s, 'r1', { type: 'human_estimate', seconds: 2 * 3600, note: 'revised' });
  await recordPilotEvent(s, 'r2', { type: 'human_estimate', seconds: 3600 });
  await recordPilotEvent(s, 'r1', { type: 'pull_request', action: 'opened', repo: 'o/r', number: 7, url: 'https://github.com/o/r/pull/7', base: 'main', head: 'baton/r1', commit: 'b'.repeat(40), draft: true, apiUrl: 'https://api.github.com', remote: 'origin' });
  await recordPilotEvent(s, 'r1', { type: 'pr_review_stats', number: 7, state: 'merged', reviews: 2, reviewRounds: 2, reviewComments: 5, diffComments: 4, conversationComments: 1, changesRequested: 1, approvals: 1 });
  await recordPilotEvent(s, 'r1', { type: 'regression_check', baseCommit: 'a', runCommit: 'b', suites: [], regressions: ['unit: adds'] });
  await recordPilotEvent(s, 'r1', { type: 'regression_found', kind: 'revert', commit: 'c', subject: 'Revert', targets: ['b'], branch: 'main' });
  await recordPilotEvent(s, 'r2', { type: 'regression_found', kind: 'fixup', commit: 'd', subject: 'fixup! x', targets: ['e'], branch: 'main' });
  return s;
}

const s = await store();
const metrics = [];
for (const id of ['r1', 'r2', 'r3']) metrics.push(runMetrics(await s.state(id), await s.events(id)));
const report = computeReport(metrics);

describe('pilot metrics', () => {

  it('per ticket: latest estimate, time against it, review figures and regressions; null where nothing was recorded', async () => {
    const [r1, r2, r3] = report.runs.map((r) => r.pilot);
    expect(r1).toEqual({ humanEstimateSeconds: 7200, timeVsEstimate: 0.25, pullRequest: { number: 7, url: 'https://github.com/o/r/pull/7', state: 'merged' }, reviewComments: 5, reviewRounds: 2, regressions: { tests: 1, reverts: 1, fixups: 0, total: 2 } });
    expect(r2).toMatchObject({ humanEstimateSeconds: 3600, timeVsEstimate: 1.5, pullRequest: null, reviewComments: null, regressions: { tests: null, reverts: 0, fixups: 1, total: 1 } });
    expect(r3).toMatchObject({ humanEstimateSeconds: null, timeVsEstimate: null, regressions: { tests: null, total: 0 } });
  });

  it('over the pilot: the ratio compares only runs that have an estimate', async () => {
    expect(report.overall.pilot).toEqual({
      estimatedRuns: 2,
      humanEstimateSeconds: 3 * 3600,
      wallSecondsOfEstimatedRuns: 120 * 60,
      timeVsEstimate: 120 / 180,
      pullRequests: 1,
      merged: 1,
      reviewComments: 5,
      reviewRounds: 2,
      regressions: { tests: 1, reverts: 1, fixups: 1, total: 3, checkedRuns: 1 },
    });
  });

  it('shows in the table and the CSV', async () => {
    const table = reportTable(report).split('\n');
    expect(table[0]).toMatch(/ESTIMATE\s+VS EST\s+PR\s+REVIEW\s+REGRESSIONS$/);
    expect(table[1]).toMatch(/^r1 .*\s2h\s+0\.25x\s+#7 merged\s+5c\/2r\s+2$/);
    expect(table[3]).toMatch(/^r3 .*\s-\s+-\s+-\s+-\s+-$/);
    expect(reportTable(report)).toContain('against people: 2 run(s) with a human estimate: 2h00m wall time for 3h estimated (0.67x)');
    const csv = reportCsv(report).split('\r\n');
    const header = csv[0]!.split(',');
    const row = (i: number) => Object.fromEntries(csv[i]!.split(',').map((v, j) => [header[j], v]));
    expect(row(1)).toMatchObject({ human_estimate_seconds: '7200', time_vs_estimate: '0.2500', pr_number: '7', pr_state: 'merged', review_comments: '5', review_rounds: '2', regressions: '2', regressions_tests: '1', regressions_reverts: '1' });
    expect(row(3)).toMatchObject({ human_estimate_seconds: '', time_vs_estimate: '', pr_number: '', review_comments: '', regressions: '0', regressions_tests: '' });
  });
});
