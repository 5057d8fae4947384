// Public surface of @baton/orchestrator.
export { batonProgram } from './cli/program.ts';

// Plans (the task graph).
export {
  TASK_TYPES,
  TASK_STATUSES,
  TaskTypeSchema,
  TaskStatusSchema,
  TaskIdSchema,
  TaskSchema,
  PlanSchema,
  PlanProposalSchema,
  planJsonSchema,
  parsePlan,
} from './plan/plan-schema.ts';
export type { TaskType, TaskStatus, TaskId, Task, TaskInput, Plan, PlanInput, PlanProposal } from './plan/plan-schema.ts';

// State store: runs, plan versions, the event log and state derived from it.
export { RunEventSchema, UsageSchema, RunBudgetsSchema } from './store/run-event.ts';
export type { RunEvent, RunEventInput, RunEventType, RunEventOf, StoredEvent, Usage, RunBudgets } from './store/run-event.ts';
export { reduceRunEvents, emptyUsage, openEscalations, IN_FLIGHT_STATUSES, TERMINAL_STATUSES } from './store/run-state.ts';
export type { RunState, TaskState, UsageTotals, EscalationState, RunPhase, ReviewRecord } from './store/run-state.ts';
export { RunStore, RunWriter, AttemptWriter, newRunId } from './store/run-store.ts';
export { openRunStore, openRepoStore, openStore, storeLocation, defaultStorePath, redactStoreUrl, STORE_URL_ENV } from './store/open-store.ts';
export type { PlanVersionRecord, RunSummary, CreateRunInput, EventListener, AttemptFence } from './store/run-store.ts';
export type { StoreBackend } from './store/store-backend.ts';
export { resumeInfoOf } from './store/resume-info.ts';
export type { ResumeInfo } from './store/resume-info.ts';
export type { LockHolder } from './store/run-lock.ts';
export { RunLockedError, LockLostError, UnknownRunError, StoreUsageError } from './store/store-errors.ts';

// The run's decisions log: key decisions every later brief carries, from the planner, the reviewer and people.
export { MAX_DECISIONS, MAX_DECISION_CHARS, DECISION_SOURCES, decisionTextProblem } from './decisions/decision-events.ts';
export type { DecisionSource } from './decisions/decision-events.ts';
export { decisionLabel, emptyDecisionLog } from './decisions/decision-log.ts';
export type { DecisionEntry, DecisionLog } from './decisions/decision-log.ts';
export { decisionChangeEvent, DecisionLogError, parseDecisionId } from './decisions/decision-change.ts';
export type { DecisionChange } from './decisions/decision-change.ts';
export { recordDecisionChange } from './decisions/record-decision-change.ts';
export type { RecordedDecisionChange } from './decisions/record-decision-change.ts';

// Plan validation and scope overlap.
export { validatePlan, formatProblemPath, dependencyClosure } from './plan/validate-plan.ts';
export type { PlanProblem, PlanProblemCode, PlanValidation, ValidatePlanOptions } from './plan/validate-plan.ts';
export { globsOverlap, scopesOverlap } from './plan/scope-overlap.ts';
export type { ScopeOverlap } from './plan/scope-overlap.ts';
export { makeTask, makePlan } from './plan/make-task.ts';

// Scheduling: which tasks start now, budgets, estimates.
export { scheduleTasks } from './schedule/schedule-tasks.ts';
export type { ScheduleInput, ScheduleDecision, SchedulerView, WaitReason } from './schedule/schedule-tasks.ts';
export { checkBudget } from './schedule/budget.ts';
export type { BudgetStatus, BudgetResource } from './schedule/budget.ts';
export { criticalPathPriorities, criticalPathLength } from './schedule/critical-path.ts';
export type { TaskDuration } from './schedule/critical-path.ts';
export { simulateSchedule } from './schedule/simulate-schedule.ts';
export type { SimulatedRun } from './schedule/simulate-schedule.ts';
export { estimatePlan, DEFAULT_TASK_TOKENS, DEFAULT_TASK_MINUTES } from './schedule/estimate-plan.ts';
export type { PlanEstimate } from './schedule/estimate-plan.ts';

// Plan files for human editing.
export { renderPlanFile, parsePlanFile, formatPlanFileProblems, parseProblemPath } from './plan/plan-file.ts';
export type { PlanFileProblem, PlanFileParse } from './plan/plan-file.ts';

// Planner loop and re-planning.
export { planTicket, SUBMIT_PLAN_TOOL } from './plan/planner.ts';
export type { PlanTicketOptions, PlannerOutcome, PlannerAttempt, PlannerUsage } from './plan/planner.ts';
export type { PlannerModel, PlannerModelRequest, PlannerModelResponse, PlannerMessage, PlannerToolSpec, PlannerToolCall } from './plan/planner-model.ts';
export { mergeReplan, REPLANNABLE } from './plan/replan.ts';
export type { ReplanResult } from './plan/replan.ts';

// Web dashboard (`baton ui`): the server over an injected data source, the store adapter, and a scripted run fixture.
export { startDashboardServer } from './ui/dashboard-server.ts';
export type { DashboardServer, DashboardServerOptions } from './ui/dashboard-server.ts';
export { DASHBOARD_DECISIONS, DashboardUserError } from './ui/dashboard-source.ts';
export type { DashboardSource, DashboardDecision, DecideInput, DecisionLogChange, DecisionLogChangeInput, PlanText, PlanTextCheck, PlanTextProblem, SavePlanResult } from './ui/dashboard-source.ts';
export { storeDashboardSource } from './ui/store-source.ts';
export type { StoreSourceOptions } from './ui/store-source.ts';
export { seedScriptedRuns, FIXTURE_RUN, FIXTURE_PLAN_RUN, WORKER_MODEL, PLANNER_DECISION, REVIEWER_DECISION } from './ui/scripted-run-fixture.ts';
export { commitHostileChange, seedHostileRun, HOSTILE_RUN, HOSTILE_TASK, HOSTILE_ROLE, SPOOFED_NAME } from './ui/hostile-run-fixture.ts';
export type { HostileCommit } from './ui/hostile-run-fixture.ts';
// Showing worker-controlled text: invisible and direction-changing characters as `<U+XXXX>` markers.
export { visibleText, visibleSegments, hasHiddenChars, escapeHiddenInJson } from './ui/static/visible-text.js';
export type { HiddenCharMarker, VisibleTextOptions } from './ui/static/visible-text.js';

// Pull requests and the pilot's numbers (estimates, review on GitHub, regressions).
export { recordPilotEvent, latestEvent } from './report/record-pilot-event.ts';
export type { PilotEventInput, PilotEventType } from './report/record-pilot-event.ts';
export { parseEstimate, formatHours } from './report/human-estimate.ts';
export { pilotMetrics, sumPilot } from './report/pilot-metrics.ts';
export type { PilotMetrics, PilotTotals } from './report/pilot-metrics.ts';
export { findRevertsAndFixups } from './report/find-reverts.ts';
export type { BaseBranchFinding } from './report/find-reverts.ts';
export { checkRegressions, compareSuites } from './report/regression-check.ts';
export { syncRun } from './report/sync-run.ts';
export type { SyncResult } from './report/sync-run.ts';
export { createGitHubClient } from './github/github-client.ts';
export type { GitHubClient, GitHubClientOptions, PullRequestInfo, ReviewActivity } from './github/github-client.ts';
export { GitHubError, GitHubRateLimitError } from './github/github-errors.ts';
export { githubToken } from './github/github-token.ts';
export { parseRemoteUrl, parseRepoRef, apiUrlForHost } from './github/github-remote.ts';
export type { RepoRef, RemoteTarget } from './github/github-remote.ts';
export { pushRunBranch, PushError } from './github/push-run-branch.ts';
export { publishRun } from './github/publish-run.ts';
export type { PublishRunOptions, PublishedRun } from './github/publish-run.ts';
export { pullRequestText } from './github/pr-body.ts';
export { mdText, mdParagraph, mdCode, mdCodeBlock } from './github/markdown-escape.ts';

// Checkouts of a run: fresh worktrees, or warm worktrees kept between tasks and runs.
export { addRunWorktree, removeRunWorktree, removeRunWorktrees } from './workspace/run-worktrees.ts';
export type { WarmPolicy, WorktreeStart } from './workspace/run-worktrees.ts';
export { removeWarmSlots, WARM_AUTO_MIN_FILES } from './workspace/warm-slots.ts';
