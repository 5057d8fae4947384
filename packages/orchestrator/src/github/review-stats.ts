// The pilot's review figures for a pull request from what GitHub reports: comments by people
// (on the diff and in the conversation), reviews, and review rounds. A round is one head
// commit that received reviews: each push that reviewers look at again starts a new one.
import type { RunEventInput } from '../store/run-event.ts';
import type { PullRequestInfo, ReviewActivity } from './github-client.ts';

export function reviewStatsEvent(pull: PullRequestInfo, activity: ReviewActivity): Extract<RunEventInput, { type: 'pr_review_stats' }> {
  const rounds = new Set(activity.reviews.map((r, i) => r.commit ?? `review-${i}`));
  return {
    type: 'pr_review_stats',
    number: pull.number,
    state: pull.mergedAt ? 'merged' : pull.state,
    reviews: activity.reviews.length,
    reviewRounds: rounds.size,
    reviewComments: activity.diffComments + activity.conversationComments,
    diffComments: activity.diffComments,
    conversationComments: activity.conversationComments,
    changesRequested: activity.reviews.filter((r) => r.state === 'CHANGES_REQUESTED').length,
    approvals: activity.reviews.filter((r) => r.state === 'APPROVED').length,
    ...(pull.mergedAt ? { mergedAt: pull.mergedAt } : {}),
    ...(pull.mergeCommit ? { mergeCommit: pull.mergeCommit } : {}),
  };
}
