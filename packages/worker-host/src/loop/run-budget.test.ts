// The run's shared budget: parallel callers never take it more than one call past a limit,
// whichever limit it is; calls wait rather than overshoot; nothing starts once it is spent.
import { describe, expect, it } from 'vitest';
import type { ModelClient } from '../model/model-client.ts';
import { scriptedClient } from '../model/scripted-client.ts';
import { budgetedModel, createRunBudget, RunBudgetExhaustedError, type RunBudget } from './run-budget.ts';
import { runWorker, type WorkerTools } from './run-worker.ts';

const tools: WorkerTools = {
  specs: [{ name: 'read_file', description: 'read', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }],
  call: async () => ({ content: 'x', isError: false }),
};

/** A model that never stops calling tools: 1,000 + 100 tokens a call, a few ms of latency. */
const looping = (delayMs = 2): ModelClient => scriptedClient(() => ({ tool_calls: [{ name: 'read_file', arguments: { path: 'a' } }], usage: { input_tokens: 1000, output_tokens: 100 }, delay_ms: delayMs }));

async function parallelWorkers(budget: RunBudget, workers: number, costPerCall: number) {
  const outcomes = await Promise.all(
    Array.from({ length: workers }, () =>
      runWorker({ model: budgetedModel(looping(), budget, { costOf: () => costPerCall }), tools, system: 's', brief: 'b', budget: { maxTurns: 1000, maxTokens: 1e9 }, costOf: () => costPerCall }),
    ),
  );
  const calls = outcomes.reduce((n, o) => n + o.turns, 0);
  return { outcomes, calls, tokens: calls * 1100, cost: calls * costPerCall };
}

describe('run budget', () => {
  it('holds the token limit across parallel workers to within one call', async () => {
    const budget = createRunBudget({ limits: { tokens: 4950 } });
    const run = await parallelWorkers(budget, 4, 0);
    expect(run.outcomes.every((o) => o.kind === 'budget_exhausted' && o.scope === 'run' && o.which === 'tokens')).toBe(true);
    expect(budget.usage().tokens).toBe(run.tokens);
    expect(run.tokens).toBeGreaterThanOrEqual(4950);
    expect(run.tokens).toBeLessThanOrEqual(4950 + 1100);
  });

  it('holds the cost limit across parallel workers to within one call', async () => {
    const budget = createRunBudget({ limits: { costUsd: 0.1 }, spent: { tokens: 0, costUsd: 0.02 }, largestCall: { tokens: 1100, costUsd: 0.007 } });
    const run = await parallelWorkers(budget, 5, 0.007);
    expect(run.outcomes.every((o) => o.kind === 'budget_exhausted' && o.which === 'cost')).toBe(true);
    expect(budget.usage().costUsd).toBeCloseTo(0.02 + run.cost, 9);
    expect(0.02 + run.cost).toBeGreaterThanOrEqual(0.1);
    expect(0.02 + run.cost).toBeLessThanOrEqual(0.1 + 0.007 + 1e-9);
  });

  it('starts no call after the wall-time limit; calls in flight finish (injected clock)', async () => {
    let clock = 0;
    // Each call takes 1,000 ms of the fake clock from when it starts; parallel calls overlap.
    const timed: ModelClient = {
      provider: 'test',
      model: 'timed',
      scripted: true,
      complete: async () => {
        const started = clock;
        await new Promise((resolve) => setImmediate(resolve));
        clock = Math.max(clock, started + 1000);
        return { text: '', toolCalls: [{ id: 'c', name: 'read_file', arguments: { path: 'a' } }], stopReason: 'tool_use', usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 } };
      },
    };
    const budget = createRunBudget({ limits: { wallMs: 4500 }, elapsedMs: 500, now: () => clock });
    const starts: number[] = [];
    const watched: ModelClient = { ...timed, complete: (r) => (starts.push(clock), timed.complete(r)) };
    const outcomes = await Promise.all([1, 2, 3].map(() => runWorker({ model: budgetedModel(watched, budget, { costOf: () => 0 }), tools, system: 's', brief: 'b', budget: { maxTurns: 1000, maxTokens: 1e9 }, now: () => clock })));
    expect(outcomes.every((o) => o.kind === 'budget_exhausted' && o.which === 'wall_time')).toBe(true);
    // Earlier processes used 500 ms, so 4,000 ms remain: no call starts at or after 4,000 on this clock.
    expect(Math.max(...starts)).toBeLessThan(4000);
    expect(budget.usage().wallMs).toBeLessThanOrEqual(4500 + 1000);
  });

  it('runs calls one at a time until it knows how big a call is, then in parallel while they fit', async () => {
    const budget = createRunBudget({ limits: { tokens: 10_000 } });
    const first = await budget.admit();
    let second = false;
    const waiting = budget.admit().then((p) => ((second = true), p));
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(false);
    first.settle({ tokens: 1000, costUsd: 0 });
    const p2 = await waiting;
    // 1,000 spent, 1,000 reserved for p2: a third and fourth fit (up to 4,000 of 10,000 in view).
    const p3 = await budget.admit();
    const p4 = await budget.admit();
    expect(budget.usage().inFlight).toBe(3);
    for (const p of [p2, p3, p4]) p.settle({ tokens: 1000, costUsd: 0 });
    expect(budget.usage().tokens).toBe(4000);
  });

  it('refuses once a limit is reached, and stops waiting when the caller cancels', async () => {
    const budget = createRunBudget({ limits: { tokens: 1000 }, spent: { tokens: 900, costUsd: 0 }, largestCall: { tokens: 500, costUsd: 0 } });
    const inFlight = await budget.admit();
    const controller = new AbortController();
    const waiting = budget.admit(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ kind: 'cancelled' });
    inFlight.settle({ tokens: 500, costUsd: 0 });
    expect(budget.exhausted()).toBe('tokens');
    expect(budget.exhaustedError()).toMatchObject({ resource: 'tokens', used: 1400, limit: 1000 });
    const refused = await budget.admit().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RunBudgetExhaustedError);
    expect((refused as Error).message).toContain('1400 of 1000 tokens');
  });
});
