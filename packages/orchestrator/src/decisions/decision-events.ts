// The run's decisions log as events: an entry logged (by the planner with its plan, by the
// reviewer with work it accepted, or by a human), edited or removed. The log is short by
// construction: each entry is one line of at most MAX_DECISION_CHARS characters, and it holds
// at most MAX_DECISIONS entries (see decision-log.ts, which derives it from these events).
import { z } from 'zod';
import { TaskIdSchema } from '../plan/plan-schema.ts';

/** Entries the log holds at most; every later brief carries all of them. */
export const MAX_DECISIONS = 20;
/** Characters one entry may have at most. */
export const MAX_DECISION_CHARS = 300;

export const DECISION_SOURCES = ['planner', 'reviewer', 'human'] as const;
export const DecisionSourceSchema = z.enum(DECISION_SOURCES);
export type DecisionSource = z.infer<typeof DecisionSourceSchema>;

/** Why a decision's text cannot be logged, or undefined when it can. */
export function decisionTextProblem(text: string): string | undefined {
  if (text.trim() === '') return 'a decision cannot be empty';
  if (/\p{Cc}/u.test(text)) return 'a decision is one line of text: no line breaks, tabs or other control characters';
  const length = [...text].length;
  if (length > MAX_DECISION_CHARS) return `a decision is at most ${MAX_DECISION_CHARS} characters (this one has ${length}); say it shorter, or split it in two`;
  return undefined;
}

export const DecisionTextSchema = z.string().superRefine((text, context) => {
  const problem = decisionTextProblem(text);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

/** Decision numbers: the nth decision_logged event of the run is decision n (D1, D2…), never reused. */
export const DecisionIdSchema = z.number().int().min(1);

export const DecisionLoggedEventSchema = z.object({
  type: z.literal('decision_logged'),
  text: DecisionTextSchema,
  source: DecisionSourceSchema,
  /** The planner's or reviewer's model, or the person. */
  by: z.string().min(1),
  /** reviewer: the task whose accepted work the decision came with. */
  taskId: TaskIdSchema.optional(),
  /** planner: the plan version the decision was proposed with. */
  planVersion: z.number().int().min(1).optional(),
});

export const DecisionEditedEventSchema = z.object({
  type: z.literal('decision_edited'),
  decisionId: DecisionIdSchema,
  text: DecisionTextSchema,
  source: DecisionSourceSchema,
  by: z.string().min(1),
});

export const DecisionRemovedEventSchema = z.object({
  type: z.literal('decision_removed'),
  decisionId: DecisionIdSchema,
  source: DecisionSourceSchema,
  by: z.string().min(1),
  reason: z.string().max(1000).optional(),
});

export const DECISION_EVENT_SCHEMAS = [DecisionLoggedEventSchema, DecisionEditedEventSchema, DecisionRemovedEventSchema] as const;
export const DECISION_EVENT_TYPES: ReadonlySet<string> = new Set(DECISION_EVENT_SCHEMAS.map((s) => s.shape.type.value));

export type DecisionEvent = z.infer<(typeof DECISION_EVENT_SCHEMAS)[number]>;
export type DecisionEventInput = z.input<(typeof DECISION_EVENT_SCHEMAS)[number]>;
