// A worker node holds each model call to the run's budget as the store says it stands, so what
// other nodes (and the orchestrator) spent counts: on a real PostgreSQL.
import { RunBudgetExhaustedError } from '@baton/worker-host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { RunStore } from '../store/run-store.ts';
import { postgresUnavailable, startPostgresServer, type PostgresServer } from '../testing/postgres-server.ts';
import { storeRunBudget } from './store-run-budget.ts';

const unavailable = postgresUnavailable();
if (unavailable && process.env['CI']) throw new Error(`PostgreSQL tests cannot run on CI: ${unavailable}`);

let server: PostgresServer;
let store: RunStore;
beforeAll(async () => {
  if (unavailable) return;
  server = await startPostgresServer();
  store = await openStore({ location: await server.createDatabase('budget') });
});
afterAll(async () => {
  await store?.close();
  await server?.close();
});

describe.skipIf(unavailable !== undefined)('the run budget on a worker node', () => {
  it('admits calls while the whole run (every process) is under its limits, then refuses', async () => {
    const writer = await store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 2, budgets: { tokens: 1000, usd: 1 } });
    const budget = storeRunBudget({ cluster: store.cluster!, runId: 'r', budgets: { tokens: 1000, usd: 1 } });
    // Another node's calls, and the planner's.
    await writer.append({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'model_call', usage: { inputTokens: 400, outputTokens: 100 }, costUsd: 0.2 });
    await writer.append({ type: 'model_usage', role: 'planner', model: 'm', usage: { inputTokens: 300, outputTokens: 0 }, costUsd: 0.1 });
    const permit = await budget.admit();
    permit.settle({ tokens: 50, costUsd: 0.01 });
    expect(budget.usage().tokens).toBe(850);
    await writer.append({ type: 'task_event', taskId: 'b', attempt: 1, kind: 'model_call', usage: { inputTokens: 250, outputTokens: 0 }, costUsd: 0.05 });
    await expect(budget.admit()).rejects.toThrow(RunBudgetExhaustedError);
    expect(budget.exhausted()).toBe('tokens');
    await writer.release();
  });
});
