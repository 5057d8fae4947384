// The pilot's facts about a run that arrive after (or beside) its execution: the humans'
// estimate, the pull request, what reviewers did on it, and regressions found later. They are
// run events like any other, but any process may append them without the run's lock
// (recordPilotEvent), since they never change what the engine does.
import { z } from 'zod';

export const HumanEstimateEventSchema = z.object({
  type: z.literal('human_estimate'),
  /** How long a human alone would have taken, in seconds of working time. */
  seconds: z.number().positive(),
  by: z.string().default('human'),
  note: z.string().optional(),
});

export const PullRequestEventSchema = z.object({
  type: z.literal('pull_request'),
  action: z.enum(['opened', 'updated']),
  /** owner/name on GitHub. */
  repo: z.string(),
  number: z.number().int().positive(),
  url: z.string(),
  base: z.string(),
  head: z.string(),
  /** The run branch commit that was pushed. */
  commit: z.string(),
  draft: z.boolean(),
  /** The REST API root used (recorded so later syncs talk to the same GitHub). */
  apiUrl: z.string(),
  remote: z.string(),
});

export const PullRequestReviewEventSchema = z.object({
  type: z.literal('pr_review_stats'),
  number: z.number().int().positive(),
  state: z.enum(['open', 'closed', 'merged']),
  /** Submitted reviews (approve, request changes, comment), by people other than bots. */
  reviews: z.number().int().min(0),
  /** Review rounds: head commits that received reviews (each push reviewed again is a new round). */
  reviewRounds: z.number().int().min(0),
  /** Line comments on the diff plus conversation comments, by people other than bots. */
  reviewComments: z.number().int().min(0),
  diffComments: z.number().int().min(0),
  conversationComments: z.number().int().min(0),
  changesRequested: z.number().int().min(0),
  approvals: z.number().int().min(0),
  mergedAt: z.string().optional(),
  mergeCommit: z.string().optional(),
});

const SuiteComparisonSchema = z.object({
  suite: z.string(),
  base: z.enum(['passed', 'failed']),
  run: z.enum(['passed', 'failed']),
  /** Tests the runner named as failing on the run branch but not on the base. */
  newlyFailing: z.array(z.string()).default([]),
});

export const RegressionCheckEventSchema = z.object({
  type: z.literal('regression_check'),
  baseCommit: z.string(),
  runCommit: z.string(),
  suites: z.array(SuiteComparisonSchema),
  /** Tests (or whole suites, where the runner names none) passing on the base that fail on the run branch. */
  regressions: z.array(z.string()),
});

export const RegressionFoundEventSchema = z.object({
  type: z.literal('regression_found'),
  kind: z.enum(['revert', 'fixup']),
  /** The commit on the base branch that reverts or fixes the run's work. */
  commit: z.string(),
  subject: z.string(),
  /** The baton commits it names. */
  targets: z.array(z.string()),
  branch: z.string(),
  committedAt: z.string().optional(),
});

export const PILOT_EVENT_SCHEMAS = [HumanEstimateEventSchema, PullRequestEventSchema, PullRequestReviewEventSchema, RegressionCheckEventSchema, RegressionFoundEventSchema] as const;
export const PILOT_EVENT_TYPES: ReadonlySet<string> = new Set(PILOT_EVENT_SCHEMAS.map((s) => s.shape.type.value));
