import { describe, expect, it } from 'vitest';
import { makeTask } from '../plan/make-task.ts';
import type { PlannerModel, PlannerModelRequest, PlannerModelResponse } from '../plan/planner-model.ts';
import type { RunEventInput } from '../store/run-event.ts';
import type { ReviewInput } from './engine-ports.ts';
import { modelReviewer, SUBMIT_REVIEW_TOOL } from './model-reviewer.ts';

function reviewerAnswering(response: PlannerModelResponse) {
  const seen: PlannerModelRequest[] = [];
  const model: PlannerModel = {
    complete: async (request) => {
      seen.push(request);
      return response;
    },
  };
  const events: RunEventInput[] = [];
  const port = modelReviewer({ model, modelLabel: 'scripted:reviewer', costOf: (u) => (u.inputTokens + u.outputTokens) / 1e6 });
  const review = (input: Partial<ReviewInput> = {}) =>
    port.review({
      runId: 'r',
      task: makeTask({ id: 'csv', brief: 'Add a CSV serializer', acceptance: ['quotes commas'] }),
      attempt: 1,
      ticket: 'CSV export',
      work: { kind: 'diff', diff: '+export function toCsv() {}', testSummaries: ['unit: 4 passed'] },
      earlier: [],
      decisions: [],
      emit: (e) => events.push(e),
      signal: new AbortController().signal,
      ...input,
    });
  return { review, seen, events };
}

const submit = (input: Record<string, unknown>): PlannerModelResponse => ({ text: '', stopReason: 'tool_use', usage: { inputTokens: 900, outputTokens: 100 }, toolCalls: [{ name: SUBMIT_REVIEW_TOOL, input }] });

describe('modelReviewer', () => {
  it('takes the decision from the submit_review call and records the model call', async () => {
    const { review, seen, events } = reviewerAnswering(submit({ decision: 'rework', reasons: ['no quoting'], feedback: 'Quote fields with commas.' }));
    expect(await review()).toEqual({ decision: 'rework', reasons: ['no quoting'], feedback: 'Quote fields with commas.' });
    expect(seen[0]!.messages).toHaveLength(1);
    expect(seen[0]!.messages[0]!.content).toContain('+export function toCsv() {}');
    expect(seen[0]!.messages[0]!.content).toContain('- quotes commas');
    expect(events).toEqual([expect.objectContaining({ type: 'task_event', kind: 'model_call', name: 'review', model: 'scripted:reviewer', costUsd: 0.001 })]);
  });

  it('escalates when the answer is not a valid decision', async () => {
    const { review } = reviewerAnswering({ text: 'Looks fine to me!', stopReason: 'end_turn', toolCalls: [{ name: SUBMIT_REVIEW_TOOL, input: { decision: 'ship it' } }] });
    expect((await review()).decision).toBe('escalate');
  });

  it("reviews a read-only task's findings instead of a diff, against the run's decisions", async () => {
    const { review, seen } = reviewerAnswering(submit({ decision: 'accept', reasons: ['quotes the line'] }));
    await review({ work: { kind: 'findings', findings: 'src/domain/customer.ts sets createdAt to new Date(0).' }, decisions: [{ id: 2, text: 'Dates are ISO 8601 strings in UTC' }] });
    const prompt = seen[0]!.messages[0]!.content;
    expect(prompt).toContain('read-only task');
    expect(prompt).toContain('# Findings (attempt 1)\nsrc/domain/customer.ts sets createdAt to new Date(0).');
    expect(prompt).not.toContain('# Diff');
    expect(prompt).toContain('# Decisions so far\n- D2: Dates are ISO 8601 strings in UTC');
    expect(seen[0]!.system).toContain('"Nothing to do."');
  });

  it('puts its own earlier verdicts on the task first in the conversation, as its answers', async () => {
    const { review, seen } = reviewerAnswering(submit({ decision: 'accept', reasons: ['fixed'] }));
    await review({ attempt: 3, earlier: [{ attempt: 1, decision: 'rework', reasons: ['no evidence'], feedback: 'Quote the line.' }, { attempt: 2, decision: 'escalate', reasons: ['unsure'] }] });
    const messages = seen[0]!.messages;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    // Each turn names the task first, so a scripted reviewer picks its conversation by task.
    expect(messages[0]!.content).toMatch(/^# Task csv: /);
    expect(JSON.parse(messages[1]!.content.replace(/^\[submit_review called with: /, '').replace(/\]$/, ''))).toEqual({ decision: 'rework', reasons: ['no evidence'], feedback: 'Quote the line.' });
    expect(messages[4]!.content).toContain('check that attempt 3 deals with them');
  });

  it('passes on the decisions an accepting reviewer wants logged, and offers the field in its tool', async () => {
    const { review, seen } = reviewerAnswering(submit({ decision: 'accept', reasons: ['ok'], decisions: ['CSV rows end with CRLF'] }));
    expect(await review()).toEqual({ decision: 'accept', reasons: ['ok'], decisions: ['CSV rows end with CRLF'] });
    const schema = seen[0]!.tools[0]!.inputSchema as { properties: Record<string, { description?: string }> };
    expect(schema.properties['decisions']?.description).toContain('Only with accept');
  });
});
