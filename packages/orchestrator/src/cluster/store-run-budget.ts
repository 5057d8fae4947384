// The run's token and cost budget as a worker node holds its calls to it: before each model call
// the node reads what the whole run has spent so far — every node's recorded calls and the
// orchestrator's — from the store, and starts the call only while no limit is reached. Calls in
// flight on other nodes cannot be seen, so a run on nodes ends within one call per worker running
// at that moment (baton run on one machine: within one call). Wall time is the orchestrator's to
// hold: it starts no task after the deadline.
import { RunBudgetExhaustedError, type CallPermit, type CallSpend, type RunBudget, type RunBudgetLimits, type RunBudgetResource } from '@baton/worker-host';
import type { RunBudgets } from '../store/run-event.ts';
import type { ClusterBackend } from '../store/store-backend.ts';

export function storeRunBudget(input: { cluster: ClusterBackend; runId: string; budgets: RunBudgets }): RunBudget {
  const limits: RunBudgetLimits = {
    ...(input.budgets.tokens !== undefined ? { tokens: input.budgets.tokens } : {}),
    ...(input.budgets.usd !== undefined ? { costUsd: input.budgets.usd } : {}),
  };
  let spent: CallSpend = { tokens: 0, costUsd: 0 };
  let inFlight = 0;
  const reached = (): RunBudgetExhaustedError | undefined => {
    if (limits.tokens !== undefined && spent.tokens >= limits.tokens) return new RunBudgetExhaustedError({ resource: 'tokens', used: spent.tokens, limit: limits.tokens });
    if (limits.costUsd !== undefined && spent.costUsd >= limits.costUsd) return new RunBudgetExhaustedError({ resource: 'cost', used: spent.costUsd, limit: limits.costUsd });
    return undefined;
  };
  return {
    limits,
    async admit(signal?: AbortSignal): Promise<CallPermit> {
      signal?.throwIfAborted();
      if (limits.tokens !== undefined || limits.costUsd !== undefined) spent = await input.cluster.runSpend(input.runId);
      const error = reached();
      if (error) throw error;
      inFlight++;
      let settled = false;
      const done = () => {
        if (settled) return false;
        settled = true;
        inFlight--;
        return true;
      };
      return {
        settle(call) {
          if (done()) spent = { tokens: spent.tokens + call.tokens, costUsd: spent.costUsd + call.costUsd };
        },
        release() {
          done();
        },
      };
    },
    exhausted(): RunBudgetResource | undefined {
      return reached()?.resource;
    },
    exhaustedError: reached,
    usage: () => ({ ...spent, wallMs: 0, inFlight }),
  };
}
