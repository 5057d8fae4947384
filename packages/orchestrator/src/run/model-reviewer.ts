// The review gate's model step: the orchestrator's model reads a task's brief and its work —
// the diff and its test results, or a read-only task's findings — and answers through a
// `submit_review` tool call. Its own earlier verdicts on the task come first in the
// conversation, so a rework is checked against what it asked for. An answer that does not
// parse is an escalation, never an accept.
import { decisionLines } from '../decisions/render-decisions.ts';
import type { PlannerMessage, PlannerModel } from '../plan/planner-model.ts';
import { parseReviewDecision, ReviewDecisionSchema, reviewDecisionJsonSchema } from '../review/review-decision.ts';
import type { ReviewInput, ReviewPort } from './engine-ports.ts';

export const SUBMIT_REVIEW_TOOL = 'submit_review';
const MAX_DIFF_CHARS = 60_000;

const SYSTEM = [
  'You review one task of a larger change, done by a junior engineer. You see the task brief and the work: a diff with its test results, or, for a read-only task, its findings.',
  'Accept a diff when it does what the brief asks, stays minimal, and the acceptance criteria hold.',
  'A read-only task changes no files; its findings are its work, and later tasks build on them. Accept findings that answer the brief and every "done when" point with evidence a reader can check (file paths, quoted lines). Ask for rework when a point is unanswered, a claim has no evidence, or the answer is empty or evasive (such as "Nothing to do." without reasons).',
  'Ask for rework with concrete, actionable feedback when something is missing or wrong and the engineer can fix it.',
  'Escalate to a human when the brief itself looks wrong, the change is risky beyond its scope, or you cannot tell.',
  'The run keeps a short log of key decisions (interfaces and names chosen, constraints); check the work against it. When you accept, put in "decisions" only new decisions this work fixes that later tasks must follow, one line each.',
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
    async review(input) {
      const { task, attempt, emit } = input;
      const started = Date.now();
      const response = await options.model.complete({
        system: SYSTEM,
        messages: reviewMessages(input),
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
      return {
        decision: decision.decision,
        reasons: decision.reasons,
        ...(decision.feedback !== undefined ? { feedback: decision.feedback } : {}),
        ...(decision.decisions !== undefined && decision.decisions.length > 0 ? { decisions: decision.decisions } : {}),
      };
    },
  };
}

/** The conversation: each earlier verdict as the model's own answer to that attempt, then this attempt in full. */
export function reviewMessages(input: ReviewInput): PlannerMessage[] {
  const { task } = input;
  const messages: PlannerMessage[] = [];
  for (const verdict of input.earlier) {
    messages.push(
      { role: 'user', content: `# Task ${task.id}: ${task.title}\nAttempt ${verdict.attempt}, reviewed earlier (its work is not shown again).` },
      { role: 'assistant', content: `[${SUBMIT_REVIEW_TOOL} called with: ${JSON.stringify({ decision: verdict.decision, reasons: verdict.reasons, ...(verdict.feedback !== undefined ? { feedback: verdict.feedback } : {}) })}]` },
    );
  }
  messages.push({ role: 'user', content: reviewPrompt(input) });
  return messages;
}

function reviewPrompt(input: ReviewInput): string {
  const { task, attempt, work } = input;
  const lines = [
    `Ticket: ${input.ticket}`,
    '',
    `# Task ${task.id}: ${task.title}`,
    task.brief,
    task.acceptance.length ? `\nDone when:\n${task.acceptance.map((a) => `- ${a}`).join('\n')}` : '',
  ];
  if (input.decisions.length > 0) lines.push(`\n# Decisions so far\n${decisionLines(input.decisions).join('\n')}`);
  if (input.earlier.length > 0) lines.push(`\nYour verdicts on the earlier attempts are above: check that attempt ${attempt} deals with them.`);
  if (work.kind === 'findings') {
    lines.push('\nThis is a read-only task: it changes no files and reports findings.', `\n# Findings (attempt ${attempt})\n${work.findings}`);
  } else {
    const clipped = work.diff.length > MAX_DIFF_CHARS ? `${work.diff.slice(0, MAX_DIFF_CHARS)}\n… [${work.diff.length - MAX_DIFF_CHARS} more characters of diff not shown]` : work.diff;
    lines.push(
      `\nWrite scope: ${task.write_scope.join(', ')}`,
      `\n# Tests\n${work.testSummaries.length ? work.testSummaries.map((t) => `- ${t}`).join('\n') : '(no tests named for this task)'}`,
      `\n# Diff (attempt ${attempt})\n\`\`\`diff\n${clipped}\n\`\`\``,
    );
  }
  return lines.join('\n');
}
