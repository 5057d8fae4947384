// One readable line for each pilot event, for `baton log`.
import type { RunEventOf } from '../store/run-event.ts';
import { formatHours } from './human-estimate.ts';

type PilotEvent = RunEventOf<'human_estimate' | 'pull_request' | 'pr_review_stats' | 'regression_check' | 'regression_found'>;

export function pilotEventDetail(event: PilotEvent): string {
  switch (event.type) {
    case 'human_estimate':
      return `${formatHours(event.seconds)} by ${event.by}${event.note ? `: ${event.note}` : ''}`;
    case 'pull_request':
      return `${event.action} #${event.number} ${event.repo} ${event.head} -> ${event.base} at ${event.commit.slice(0, 10)}${event.draft ? ' (draft)' : ''}`;
    case 'pr_review_stats':
      return `#${event.number} ${event.state}: ${event.reviews} review(s) in ${event.reviewRounds} round(s), ${event.reviewComments} comment(s)`;
    case 'regression_check':
      return event.regressions.length === 0 ? `no regressions over ${event.suites.length} suite(s)` : `${event.regressions.length} regression(s): ${event.regressions.slice(0, 5).join(', ')}`;
    case 'regression_found':
      return `${event.kind} ${event.commit.slice(0, 10)} on ${event.branch}: ${event.subject}`;
  }
}
