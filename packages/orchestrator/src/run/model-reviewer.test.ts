import { describe, expect, it } from 'vitest';
import { makeTask } from '../plan/make-task.ts';
import type { PlannerModel, PlannerModelResponse } from '../plan/planner-model.ts';
import type { RunEventInput } from '../store/run-event.ts';
import { modelReviewer, SUBMIT_REVIEW_TOOL } from './model-reviewer.ts';

function reviewerAnswering(response: PlannerModelResponse) {
  const seen: string[] = [];
  const model: PlannerModel = {
    complete: async (request) => {
      seen.push(request.messages[0]!.content);
      return response;
    },
  };
  const events: RunEventInput[] = [];
  const port = modelReviewer({ model, modelLabel: 'scripted:reviewer', costOf: (u) => (u.inputTokens + u.outputTokens) / 1e6 });
  const review = () =>
    port.review({ runId: 'r', task: makeTask({ id: 'csv', brief: 'Add a CSV serializer', acceptance: ['quotes commas'] }), attempt: 1, ticket: 'CSV export', diff: '+export function toCsv() {}', testSummaries: ['unit: 4 passed'], emit: (e) => events.push(e), signal: new AbortController().signal });
  return { review, seen, events };
}

describe('modelReviewer', () => {
  it('takes the decision from the submit_review call and records the model call', async () => {
    const { review, seen, events } = reviewerAnswering({ text: '', stopReason: 'tool_use', usage: { inputTokens: 900, outputTokens: 100 }, toolCalls: [{ name: SUBMIT_REVIEW_TOOL, input: { decision: 'rework', reasons: ['no quoting'], feedback: 'Quote fields with commas.' } }] });
    expect(await review()).toEqual({ decision: 'rework', reasons: ['no quoting'], feedback: 'Quote fields with commas.' });
    expect(seen[0]).toContain('+export function toCsv() {}');
    expect(seen[0]).toContain('- quotes commas');
    expect(events).toEqual([expect.objectContaining({ type: 'task_event', kind: 'model_call', name: 'review', model: 'scripted:reviewer', costUsd: 0.001 })]);
  });

  it('escalates when the answer is not a valid decision', async () => {
    const { review } = reviewerAnswering({ text: 'Looks fine to me!', stopReason: 'end_turn', toolCalls: [{ name: SUBMIT_REVIEW_TOOL, input: { decision: 'ship it' } }] });
    expect((await review()).decision).toBe('escalate');
  });
});
