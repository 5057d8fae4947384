// The task graph baton executes: one schema for validating plans from the planner model,
// from a human's edited YAML and from the store, and the JSON Schema the model is asked to fill.
import { z } from 'zod';
import { WorkflowNameSchema } from '../workflows/workflow.ts';

export const TASK_TYPES = ['analysis', 'implementation', 'tests', 'docs', 'migration', 'refactor', 'config', 'merge', 'review'] as const;
export const TaskTypeSchema = z.enum(TASK_TYPES);
export type TaskType = z.infer<typeof TaskTypeSchema>;

export const TASK_STATUSES = ['pending', 'in_progress', 'awaiting_review', 'rework', 'done', 'failed', 'blocked', 'skipped'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** Task ids become parts of branch names (`baton-tasks/<run>/<task>`), so they are kept to safe characters. */
export const TaskIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'task ids are 1-64 characters: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((id) => !id.includes('..') && !id.endsWith('.lock') && !id.endsWith('.'), 'task ids must be usable in a git branch name (no "..", no trailing "." or ".lock")');
export type TaskId = z.infer<typeof TaskIdSchema>;

const GlobSchema = z.string().min(1, 'a scope glob cannot be empty');

export const TaskSchema = z.object({
  id: TaskIdSchema,
  title: z.string().min(1),
  type: TaskTypeSchema,
  /** Which worker role runs it (e.g. worker, analyst, migrator); selects prompts and models. */
  role: z.string().min(1).default('worker'),
  status: TaskStatusSchema.default('pending'),
  depends_on: z.array(TaskIdSchema).default([]),
  /** Phases run in order; with phase gates, phase N+1 starts only after phase N's tests pass. */
  phase: z.number().int().min(1).default(1),
  /** What the worker must do, in a few concrete sentences. */
  brief: z.string().min(1),
  /** Globs (relative to the repository root) the worker may read. */
  read_scope: z.array(GlobSchema).default(['**']),
  /** Globs the worker may change; empty for a read-only task. */
  write_scope: z.array(GlobSchema).default([]),
  /** Names of test suites from baton.config.json that prove the task works. */
  tests: z.array(z.string().min(1)).default([]),
  /** Checkable statements that say when the task is done. */
  acceptance: z.array(z.string().min(1)).default([]),
  /** A human must approve before this task starts (e.g. it renames something external callers see). */
  needs_approval: z.boolean().optional(),
});
export type Task = z.infer<typeof TaskSchema>;
export type TaskInput = z.input<typeof TaskSchema>;

export const PlanSchema = z.object({
  ticket: z.string().min(1),
  /** A short human-readable summary of the approach. */
  summary: z.string().min(1),
  workflow: WorkflowNameSchema,
  tasks: z.array(TaskSchema).min(1, 'a plan needs at least one task'),
});
export type Plan = z.infer<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;

/** What the planner model submits: a plan without run-time fields (every task starts pending). */
export const PlanProposalSchema = PlanSchema.extend({
  tasks: z.array(TaskSchema.omit({ status: true })).min(1, 'a plan needs at least one task'),
});
export type PlanProposal = z.infer<typeof PlanProposalSchema>;

/** JSON Schema for the `submit_plan` tool's input (the planner model's structured output). */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlanProposalSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema['$schema'];
  return schema;
}

/** Parses anything claiming to be a plan; statuses default to pending. */
export function parsePlan(value: unknown): z.ZodSafeParseResult<Plan> {
  return PlanSchema.safeParse(value);
}
