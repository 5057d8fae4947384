// The review gate's model step: the orchestrator's model reads a task's brief, its diff and
// its test results and answers through a `submit_review` tool call. An answer that does not
// parse is an escalation, never an accept.
import type { PlannerModel } from '../plan/planner-model.ts';
import { parseReviewDecision, ReviewDecisionSchema, reviewDecisionJsonSchema } from '../review/review-decision.ts';
import type { ReviewPort } from './engine-ports.ts';

export const SUBMIT_REVIEW_TOOL = 'submit_review';
const MAX_DIFF_CHARS = 60_000;

const SYSTEM = [
  'You review one task of a larger change, done by a junior engineer. You see the task brief, the diff, and the test results.',
  'Accept when the diff does what the brief asks, stays minimal, and the acceptance criteria hold.',
  'Ask for rework with concrete, actionable feedback when something is missing or wrong and the engineer can fix it.',
  'Escalate to a human when the brief itself looks wrong, the change is risky beyond its scope, or you cannot tell.',
  `Answer by calling ${SUBMIT_REVIEW_TOOL} exactly once.`,
].join('\n');

export interface ModelReviewerOptions {
  model: PlannerModel;
  /** Label recorded with the model call, e.g. `anthropic:claude-opus-4-6`. */
  modelLabel: string;
  costOf?: (usage: { inputTokens: number; outputTokens: number }) => number;
  maxOutputTokens?: number;
}

export function modelReviewer(options: ModelReviewerOptions): ReviewPort {
  return {
    async review({ task, attempt, ticket, diff, testSummaries, emit }) {
      const clipped = diff.length > MAX_DIFF_CHARS ? `${diff.slice(0, MAX_DIFF_CHARS)}\n… [${diff.length - MAX_DIFF_CHARS} more characters of diff not shown]` : diff;
      const prompt = [
        `Ticket: ${ticket}`,
        '',
        `# Task ${task.id}: ${task.title}`,
        task.brief,
        task.acceptance.length ? `\nDone when:\n${task.acceptance.map((a) => `- ${a}`).join('\n')}` : '',
        `\nWrite scope: ${task.write_scope.join(', ')}`,
        `\n# Tests\n${testSummaries.length ? testSummaries.map((t) => `- ${t}`).join('\n') : '(no tests named for this task)'}`,
        `\n# Diff (attempt ${attempt})\n\`\`\`diff\n${clipped}\n\`\`\``,
      ].join('\n');
      const started = Date.now();
      const response = await options.model.complete({
        system: SYSTEM,
        messages: [{ role: 'user', content: prompt }],
        tools: [{ name: SUBMIT_REVIEW_TOOL, description: 'Submit your review decision for this task.', inputSchema: reviewDecisionJsonSchema as Record<string, unknown> }],
        maxOutputTokens: options.maxOutputTokens ?? 2_000,
      });
      const usage = response.usage ?? { inputTokens: 0, outputTokens: 0 };
      emit({
        type: 'task_event',
        taskId: task.id,
        attempt,
        kind: 'model_call',
        name: 'review',
        model: options.modelLabel,
        usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens },
        costUsd: options.costOf?.(usage) ?? 0,
        durationMs: Date.now() - started,
      });
      const call = response.toolCalls.find((c) => c.name === SUBMIT_REVIEW_TOOL);
      const parsed = call ? ReviewDecisionSchema.safeParse(call.input) : undefined;
      const decision = parsed?.success ? parsed.data : parseReviewDecision(response.text);
      return { decision: decision.decision, reasons: decision.reasons, ...(decision.feedback !== undefined ? { feedback: decision.feedback } : {}) };
    },
  };
}
