// A worker's own hard limits, checked before every model call. A call in flight may finish past
// a limit; no new call starts once one is reached. Limits shared by all the calls of a run
// (parallel workers, reviewer, merge worker) are run-budget.ts.
import type { ModelUsage } from '../model/model-client.ts';

export interface WorkerBudget {
  maxTurns: number;
  maxTokens: number;
  maxCostUsd?: number;
  maxWallMs?: number;
  maxToolCalls?: number;
}

export interface BudgetSpent {
  turns: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  toolCalls: number;
  startedAt: number;
}

export type BudgetLimit = 'turns' | 'tokens' | 'cost' | 'wall_time' | 'tool_calls';

export function newSpent(now: number): BudgetSpent {
  return { turns: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, toolCalls: 0, startedAt: now };
}

export function addUsage(spent: BudgetSpent, usage: ModelUsage, costUsd: number): void {
  spent.turns += 1;
  spent.inputTokens += usage.inputTokens;
  spent.outputTokens += usage.outputTokens;
  spent.costUsd += costUsd;
}

/** The first limit reached, or undefined while the worker may make another model call. */
export function exhaustedLimit(budget: WorkerBudget, spent: BudgetSpent, now: number): BudgetLimit | undefined {
  if (spent.turns >= budget.maxTurns) return 'turns';
  if (spent.inputTokens + spent.outputTokens >= budget.maxTokens) return 'tokens';
  if (budget.maxCostUsd !== undefined && spent.costUsd >= budget.maxCostUsd) return 'cost';
  if (budget.maxWallMs !== undefined && now - spent.startedAt >= budget.maxWallMs) return 'wall_time';
  if (budget.maxToolCalls !== undefined && spent.toolCalls >= budget.maxToolCalls) return 'tool_calls';
  return undefined;
}
