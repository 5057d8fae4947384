import { describe, expect, it } from 'vitest';
import { RunEventSchema, type RunEventInput } from '../store/run-event.ts';
import { largestModelCall, wallTimeUsedMs } from './budget-usage.ts';

const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, seconds)).toISOString();
const timed = (items: [number, RunEventInput][]) => items.map(([s, e]) => ({ ...RunEventSchema.parse(e), at: at(s) }));
const created: RunEventInput = { type: 'run_created', ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 1 };

describe('wall time worked', () => {
  it('counts planning and each stretch of execution, not the wait for a human or the time dead after a kill', () => {
    const events = timed([
      [0, created],
      [10, { type: 'plan_invalid', attempt: 1, problems: [] }],
      [100, { type: 'plan_approved', version: 1 }], // a human approved 90 s later
      [130, { type: 'task_started', taskId: 'a', attempt: 1 }],
      [500, { type: 'run_resumed', pid: 2 }], // killed after 130, resumed at 500
      [520, { type: 'task_status', taskId: 'a', status: 'done' }],
    ]);
    expect(wallTimeUsedMs(events)).toBe((10 + 30 + 20) * 1000);
  });
});

describe('largest model call', () => {
  it("takes the biggest task call, and the planner's average call", () => {
    expect(largestModelCall(timed([[0, created]]))).toBeUndefined();
    const events = timed([
      [0, created],
      [1, { type: 'model_usage', role: 'planner', model: 'm', usage: { inputTokens: 3000, outputTokens: 300 }, costUsd: 0.3, calls: 3 }],
      [2, { type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', usage: { inputTokens: 800, outputTokens: 100 }, costUsd: 0.2 }],
      [3, { type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call' }],
    ]);
    expect(largestModelCall(events)).toEqual({ tokens: 1100, costUsd: 0.2 });
  });
});
