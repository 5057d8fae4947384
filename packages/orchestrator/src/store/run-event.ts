// Every fact baton records about a run, as one tagged union. Events are appended to the
// store and never changed; run state is always derived from them (see reduce-run-state.ts).
import { z } from 'zod';
import { WorkflowNameSchema } from '../workflows/workflow.ts';
import { PlanSchema, TaskIdSchema, TaskStatusSchema } from '../plan/plan-schema.ts';
import { PILOT_EVENT_SCHEMAS } from '../report/pilot-events.ts';
import { AttemptWorkSchema } from '../run/attempt-work.ts';
import { DECISION_EVENT_SCHEMAS } from '../decisions/decision-events.ts';

export const UsageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheReadTokens: z.number().int().min(0).optional(),
  cacheWriteTokens: z.number().int().min(0).optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const RunBudgetsSchema = z.object({
  tokens: z.number().int().positive().optional(),
  usd: z.number().positive().optional(),
  wallSeconds: z.number().positive().optional(),
});
export type RunBudgets = z.infer<typeof RunBudgetsSchema>;

const Attempt = z.number().int().min(1);
const Problems = z.array(z.string());

export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run_created'),
    ticket: z.string(),
    workflow: WorkflowNameSchema,
    baseCommit: z.string(),
    /** The user's branch the run started from (never touched). */
    baseBranch: z.string().optional(),
    budgets: RunBudgetsSchema.default({}),
    maxWorkers: z.number().int().min(1),
    /** The plan is approved without asking (baton run --yes); a resume after a crash before the approval honours it. */
    autoApprove: z.boolean().default(false),
    /** Tasks run on worker nodes (`baton node`) through the job queue; commits travel through this git remote (no credentials). */
    distributed: z.object({ remote: z.string() }).optional(),
  }),
  z.object({ type: z.literal('plan_proposed'), version: z.number().int().min(1), plan: PlanSchema, warnings: Problems.default([]), by: z.string().default('planner') }),
  /** A planner attempt that was refused; `submitted` is what the model sent, the starting point of `baton plan edit`. */
  z.object({ type: z.literal('plan_invalid'), attempt: Attempt, problems: Problems, submitted: z.unknown().optional() }),
  z.object({ type: z.literal('plan_edited'), version: z.number().int().min(1), plan: PlanSchema, warnings: Problems.default([]), by: z.string().default('human') }),
  z.object({ type: z.literal('plan_approved'), version: z.number().int().min(1), by: z.string().default('human') }),
  z.object({
    type: z.literal('task_started'),
    taskId: TaskIdSchema,
    attempt: Attempt,
    branch: z.string().optional(),
    workspace: z.string().optional(),
    model: z.string().optional(),
    /** The worker node that runs the attempt (runs on worker nodes only). */
    node: z.string().optional(),
  }),
  /** The orchestrator queued an attempt as a job for worker nodes, to start from this commit. */
  z.object({ type: z.literal('task_dispatched'), taskId: TaskIdSchema, attempt: Attempt, jobId: z.string(), fromCommit: z.string() }),
  /** A worker node took the attempt's job; `claim` counts the queue's deliveries of it (a node that died before lost it). */
  z.object({ type: z.literal('task_claimed'), taskId: TaskIdSchema, attempt: Attempt, node: z.string(), claim: z.number().int().min(0), previousNode: z.string().optional() }),
  /** A worker node finished its part of the attempt; the orchestrator reviews and merges from here. */
  z.object({ type: z.literal('attempt_finished'), taskId: TaskIdSchema, attempt: Attempt, node: z.string(), outcome: AttemptWorkSchema }),
  z.object({
    type: z.literal('task_event'),
    taskId: TaskIdSchema,
    attempt: Attempt,
    /** model_call: one model turn; tool_call: one tool call from the audit stream; message: worker text. */
    kind: z.enum(['model_call', 'tool_call', 'message', 'error']),
    name: z.string().optional(),
    model: z.string().optional(),
    usage: UsageSchema.optional(),
    costUsd: z.number().min(0).optional(),
    isError: z.boolean().optional(),
    durationMs: z.number().min(0).optional(),
    detail: z.string().optional(),
    /** tool_call: the grant the call was made under. */
    grantId: z.string().optional(),
  }),
  z.object({ type: z.literal('file_read'), taskId: TaskIdSchema, attempt: Attempt, path: z.string() }),
  z.object({ type: z.literal('file_written'), taskId: TaskIdSchema, attempt: Attempt, path: z.string() }),
  z.object({
    type: z.literal('diff_recorded'),
    taskId: TaskIdSchema,
    attempt: Attempt,
    /** The task branch commit holding the attempt's changes. */
    commit: z.string(),
    files: z.array(z.string()).default([]),
    diff: z.string().optional(),
  }),
  z.object({
    type: z.literal('test_result'),
    suite: z.string(),
    passed: z.boolean(),
    taskId: TaskIdSchema.optional(),
    attempt: Attempt.optional(),
    /** Set when the result is a phase gate or a post-merge check rather than a task's own test. */
    context: z.enum(['task', 'merge', 'gate', 'final']).default('task'),
    summary: z.string().optional(),
    durationMs: z.number().min(0).optional(),
  }),
  /** What a read-only task's worker reported for an attempt; reviewed like a diff, and passed on once accepted. */
  z.object({ type: z.literal('findings_reported'), taskId: TaskIdSchema, attempt: Attempt, findings: z.string() }),
  z.object({
    type: z.literal('review_decided'),
    taskId: TaskIdSchema,
    attempt: Attempt,
    decision: z.enum(['accept', 'rework', 'escalate']),
    reasons: Problems,
    feedback: z.string().optional(),
    /** Who decided: the reviewing model, baton's own checks (scope, tests, no changes), or a human. */
    by: z.enum(['reviewer', 'baton', 'human']).optional(),
    /** Decisions the reviewer asked to log with the accepted work (logged once the work is done). */
    decisions: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('task_status'), taskId: TaskIdSchema, status: TaskStatusSchema, reason: z.string().optional() }),
  z.object({
    type: z.literal('merge_result'),
    taskId: TaskIdSchema,
    ok: z.boolean(),
    /** The run branch commit after integrating the task. */
    commit: z.string().optional(),
    conflictFiles: z.array(z.string()).default([]),
    resolvedBy: z.enum(['clean', 'merge_worker']).optional(),
  }),
  z.object({ type: z.literal('gate_result'), phase: z.number().int().min(1), passed: z.boolean(), suites: z.array(z.string()).default([]), summary: z.string().optional() }),
  z.object({
    type: z.literal('escalation_raised'),
    escalationId: z.string(),
    taskId: TaskIdSchema.optional(),
    reason: z.string(),
    options: z.array(z.string()).default([]),
  }),
  z.object({
    type: z.literal('human_decision'),
    /** approve/reject answer a needs_approval task or an escalation; the others answer escalations. */
    decision: z.enum(['approve', 'reject', 'retry', 'skip', 'take_over', 'abort']),
    escalationId: z.string().optional(),
    taskId: TaskIdSchema.optional(),
    note: z.string().optional(),
    by: z.string().default('human'),
  }),
  /** A model call that belongs to the run rather than a task (planning, re-planning). */
  z.object({
    type: z.literal('model_usage'),
    role: z.enum(['planner', 'reviewer', 'merge']),
    model: z.string(),
    usage: UsageSchema,
    costUsd: z.number().min(0).default(0),
    calls: z.number().int().min(1).default(1),
  }),
  z.object({
    type: z.literal('budget'),
    level: z.enum(['warning', 'exhausted']),
    resource: z.enum(['tokens', 'usd', 'wall']),
    used: z.number().min(0),
    limit: z.number().min(0),
  }),
  /** A new process took the run over (after a crash or stop); in-flight tasks restart. */
  z.object({ type: z.literal('run_resumed'), pid: z.number().int(), interruptedTasks: z.array(TaskIdSchema).default([]) }),
  z.object({
    type: z.literal('run_finished'),
    outcome: z.enum(['succeeded', 'failed', 'cancelled', 'escalated', 'budget_exhausted']),
    summary: z.string().optional(),
    branch: z.string().optional(),
    commit: z.string().optional(),
  }),
  ...PILOT_EVENT_SCHEMAS,
  ...DECISION_EVENT_SCHEMAS,
]);

/** An event as callers write it (defaults not yet applied). */
export type RunEventInput = z.input<typeof RunEventSchema>;
/** An event after validation. */
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** An event as stored: numbered per run, timestamped by the store. */
export type StoredEvent = RunEvent & { runId: string; seq: number; at: string };
