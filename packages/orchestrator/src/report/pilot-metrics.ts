// The pilot's per-ticket comparison: baton's time against a human-only estimate, what
// reviewers did on the pull request, and regressions (tests broken on the branch, reverts and
// fix-ups on the base branch). Pure: events in, numbers out; null where nothing was recorded.
import type { StoredEvent } from '../store/run-event.ts';
import { latestEvent } from './record-pilot-event.ts';

export interface PilotMetrics {
  humanEstimateSeconds: number | null;
  /** Wall time divided by the estimate (0.5 = twice as fast as a human alone). */
  timeVsEstimate: number | null;
  pullRequest: { number: number; url: string; state: 'open' | 'closed' | 'merged' | 'unknown' } | null;
  reviewComments: number | null;
  reviewRounds: number | null;
  regressions: {
    /** Tests passing on the base that fail on the branch; null until baton regressions ran. */
    tests: number | null;
    reverts: number;
    fixups: number;
    total: number;
  };
}

export interface PilotTotals {
  /** Runs with an estimate, their estimates and their wall time (so the ratio compares like with like). */
  estimatedRuns: number;
  humanEstimateSeconds: number;
  wallSecondsOfEstimatedRuns: number;
  timeVsEstimate: number | null;
  pullRequests: number;
  merged: number;
  reviewComments: number;
  reviewRounds: number;
  regressions: { tests: number; reverts: number; fixups: number; total: number; checkedRuns: number };
}

export function pilotMetrics(events: readonly StoredEvent[], wallSeconds: number): PilotMetrics {
  const estimate = latestEvent(events, 'human_estimate');
  const pr = latestEvent(events, 'pull_request');
  const review = latestEvent(events, 'pr_review_stats');
  const check = latestEvent(events, 'regression_check');
  const found = events.filter((e) => e.type === 'regression_found');
  const reverts = found.filter((e) => e.type === 'regression_found' && e.kind === 'revert').length;
  const fixups = found.length - reverts;
  const tests = check ? check.regressions.length : null;
  return {
    humanEstimateSeconds: estimate?.seconds ?? null,
    timeVsEstimate: estimate ? wallSeconds / estimate.seconds : null,
    pullRequest: pr ? { number: pr.number, url: pr.url, state: review && review.number === pr.number ? review.state : 'unknown' } : null,
    reviewComments: review?.reviewComments ?? null,
    reviewRounds: review?.reviewRounds ?? null,
    regressions: { tests, reverts, fixups, total: (tests ?? 0) + reverts + fixups },
  };
}

export function sumPilot(runs: readonly (PilotMetrics & { wallSeconds: number })[]): PilotTotals {
  const estimated = runs.filter((r) => r.humanEstimateSeconds !== null);
  const humanEstimateSeconds = estimated.reduce((n, r) => n + r.humanEstimateSeconds!, 0);
  const wall = estimated.reduce((n, r) => n + r.wallSeconds, 0);
  return {
    estimatedRuns: estimated.length,
    humanEstimateSeconds,
    wallSecondsOfEstimatedRuns: wall,
    timeVsEstimate: humanEstimateSeconds > 0 ? wall / humanEstimateSeconds : null,
    pullRequests: runs.filter((r) => r.pullRequest !== null).length,
    merged: runs.filter((r) => r.pullRequest?.state === 'merged').length,
    reviewComments: runs.reduce((n, r) => n + (r.reviewComments ?? 0), 0),
    reviewRounds: runs.reduce((n, r) => n + (r.reviewRounds ?? 0), 0),
    regressions: {
      tests: runs.reduce((n, r) => n + (r.regressions.tests ?? 0), 0),
      reverts: runs.reduce((n, r) => n + r.regressions.reverts, 0),
      fixups: runs.reduce((n, r) => n + r.regressions.fixups, 0),
      total: runs.reduce((n, r) => n + r.regressions.total, 0),
      checkedRuns: runs.filter((r) => r.regressions.tests !== null).length,
    },
  };
}
