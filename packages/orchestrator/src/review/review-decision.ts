// What the reviewing model answers about a task's diff, as a schema the model is asked
// to follow and that its answer is parsed with.
import { z } from 'zod';

export const ReviewDecisionSchema = z.object({
  decision: z.enum(['accept', 'rework', 'escalate']),
  /** Short reasons, each one sentence. */
  reasons: z.array(z.string()).min(1),
  /** For rework: concrete instructions for the next attempt. */
  feedback: z.string().optional(),
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
