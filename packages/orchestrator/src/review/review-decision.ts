// What the reviewing model answers about a task's work (a diff, or a read-only task's findings),
// as a schema the model is asked to follow and that its answer is parsed with.
import { z } from 'zod';
import { MAX_DECISION_CHARS } from '../decisions/decision-events.ts';

export const ReviewDecisionSchema = z.object({
  decision: z.enum(['accept', 'rework', 'escalate']),
  /** Short reasons, each one sentence. */
  reasons: z.array(z.string()).min(1),
  /** For rework: concrete instructions for the next attempt. */
  feedback: z.string().optional(),
  /** With accept only: key decisions the work fixes, for the run's decisions log. */
  decisions: z
    .array(z.string())
    .optional()
    .describe(
      `Only with accept: new key decisions this work fixes that later tasks must follow (interfaces and names chosen, constraints), one line of at most ${MAX_DECISION_CHARS} characters each. Leave out what the decisions log already says; usually there are none.`,
    ),
});
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;

export const reviewDecisionJsonSchema = z.toJSONSchema(ReviewDecisionSchema);

/**
 * Pulls the decision out of a model's final text: the last JSON object in it, parsed with the
 * schema. A reviewer that cannot produce one is treated as an escalation, never as an accept.
 */
export function parseReviewDecision(text: string): ReviewDecision {
  for (const candidate of jsonObjectsFromEnd(text)) {
    const parsed = ReviewDecisionSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return { decision: 'escalate', reasons: ['the reviewer did not return a valid decision; a human must look at this diff'] };
}

function* jsonObjectsFromEnd(text: string): Generator<unknown> {
  const fenced = [...text.matchAll(/```(?:json)?\s*([\s\S]*?)```/g)].map((m) => m[1]!).reverse();
  for (const block of fenced) {
    const value = tryParse(block);
    if (value !== undefined) yield value;
  }
  for (let end = text.lastIndexOf('}'); end >= 0; end = text.lastIndexOf('}', end - 1)) {
    for (let start = text.lastIndexOf('{', end); start >= 0; start = text.lastIndexOf('{', start - 1)) {
      const value = tryParse(text.slice(start, end + 1));
      if (value !== undefined) {
        yield value;
        break;
      }
    }
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
